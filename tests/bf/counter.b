A few seconds of work: four nested countdown loops around one increment
then prints the low byte of the count and a newline
++++[>-[>-[>-[>+<-]<-]<-]<-]
>>>>.
[-]++++++++++.
