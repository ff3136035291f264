Moving left of cell 0 is a bounds check panic in the interpreter
+++.<+
