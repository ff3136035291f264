Echo stdin to stdout until end of input (the cell is cleared before each read,
since ',' leaves it unchanged at EOF), upper-casing nothing
,[.[-],]
