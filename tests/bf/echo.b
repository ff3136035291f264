Echo stdin to stdout until end of input
The cell is cleared before each read because a read leaves it unchanged at EOF
,[.[-],]
