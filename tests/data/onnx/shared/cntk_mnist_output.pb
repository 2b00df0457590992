
BPlus214_Output_0J(”%¶B°ãYBú4kÃ?`Cş Â¾ø3AEKFÃö[Ã:– Ã~u;Ã