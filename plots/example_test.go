package plots_test

import (
	"bytes"
	"fmt"
	"image/png"

	"github.com/gotextgen/textgen/plots"
)

func ExamplePNG() {
	train := plots.Series{Name: "train", X: []float64{0, 100, 200}, Y: []float64{4.1, 2.3, 1.7}}
	valid := plots.Series{Name: "valid", X: []float64{0, 200}, Y: []float64{4.2, 2.0}}
	p, err := plots.LossCurves("seq2seq", train, valid)
	if err != nil {
		panic(err)
	}
	data, err := plots.PNG(p, plots.DefaultWidth, plots.DefaultHeight)
	if err != nil {
		panic(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		panic(err)
	}
	fmt.Printf("%q\n", data[1:4])
	fmt.Println(img.Bounds().Dx(), "x", img.Bounds().Dy(), "pixels")
	// Output:
	// "PNG"
	// 576 x 384 pixels
}

func ExampleAttentionHeatmap() {
	source := []string{"我", "爱", "你", "<eos>"}
	generated := []string{"I", "love", "you", "<eos>"}
	weights := [][]float32{ // [len(generated)][len(source)]
		{0.9, 0.05, 0.03, 0.02},
		{0.1, 0.8, 0.05, 0.05},
		{0.02, 0.08, 0.85, 0.05},
		{0.01, 0.01, 0.08}, // one weight short
	}
	_, err := plots.AttentionHeatmap(weights, source, generated)
	fmt.Println(err)

	weights[3] = append(weights[3], 0.9)
	p, err := plots.AttentionHeatmap(weights, source, generated)
	if err != nil {
		panic(err)
	}
	w, h := plots.AttentionSize(p, len(source), len(generated))
	fmt.Printf("%.0f×%.0f pt\n", w.Points(), h.Points())
	// Output:
	// plots: attention: weights row 3 (generated token "<eos>") has 3 columns, want one per source token (4)
	// 144×144 pt
}
