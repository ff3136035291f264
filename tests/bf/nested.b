Nested loops print the digits 0 to 9 on ten rows
++++++++++[>++++++++++>++++++[>++++++++<-]<[>>.+<<-]>>[-]++++++++++.[-]<<<-]
