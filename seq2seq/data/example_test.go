package data_test

import (
	"fmt"
	"time"

	"github.com/gotextgen/textgen/seq2seq/data"
)

func ExampleDates() {
	for _, p := range data.Dates(5, 1) {
		fmt.Printf("%-20s -> %s\n", p.Source, p.Target)
	}
	// Output:
	// 08-Jul-2003          -> 2003-07-08
	// October 12, 1950     -> 1950-10-12
	// 19710214             -> 1971-02-14
	// February 26, 1997    -> 1997-02-26
	// 14.2.2036            -> 2036-02-14
}

func ExampleFormats() {
	day := time.Date(2021, time.March, 21, 0, 0, 0, 0, time.UTC)
	for _, f := range data.Formats() {
		s, _ := data.FormatDate(day, f)
		fmt.Printf("%s: %s\n", f, s)
	}
	// Output:
	// D Month YYYY: 21 March 2021
	// DD Mon YYYY: 21 Mar 2021
	// Month D, YYYY: March 21, 2021
	// Mon D, 'YY: Mar 21, '21
	// MM/DD/YYYY: 03/21/2021
	// D.M.YYYY: 21.3.2021
	// YYYY/MM/DD: 2021/03/21
	// Weekday, Month Dth YYYY: Sunday, March 21st 2021
	// wkd D mon YYYY: sun 21 mar 2021
	// MONTH D YYYY: MARCH 21 2021
	// YYYY年M月D日: 2021年3月21日
	// Dth of Month, YYYY: 21st of March, 2021
	// YYYYMMDD: 20210321
	// YYYY-M-D: 2021-3-21
	// DD-Mon-YYYY: 21-Mar-2021
	// DD.MM.YY: 21.03.21
}

func ExampleSplitDates() {
	train, valid, test, err := data.SplitDates(1000, 1, 0.1, 0.1)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(train), len(valid), len(test))
	// Output:
	// 800 100 100
}
