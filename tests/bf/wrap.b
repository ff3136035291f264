Cell wrap around in both directions
-.            prints byte 255 since 0 minus 1 wraps
+.            prints byte 0 since 255 plus 1 wraps
--[-->+<]     halves 254 by steps of two into the next cell
>.            prints that cell: 127
++++++++[>++++++++<-]>+.   multiplies with wrap and prints the result
[-]-[+].      counts 255 up to the wrap and prints byte 0
