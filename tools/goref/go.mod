module papaya-lab/goref

go 1.19
