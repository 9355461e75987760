package plots

import (
	"bytes"
	"testing"
)

// goldenWords are three groups of Chinese words (sky, land and water, seasons and plants) and one
// mixed-script word, with vectors near one centre per group.
func goldenWords() ([]string, [][]float32, []int) {
	words := []string{"月", "星", "日", "天空", "山", "水", "江河", "石", "春", "秋", "花草", "AI人工"}
	groups := []int{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}
	pts, _ := clusters(3, 4, 6, 3, 11)
	return words, pts, groups
}

func TestGoldenEmbeddingImages(t *testing.T) {
	words, vecs, groups := goldenWords()
	latin := []string{"moon", "star", "sun", "sky", "hill", "water", "river", "stone", "spring", "autumn", "flower", "grass"}
	opts := DefaultEmbeddingOptions()
	opts.Groups = groups
	tsneOpts := opts
	tsneOpts.Title, tsneOpts.Projection = "t-SNE of word vectors", ProjectionTSNE
	tsneOpts.TSNE.Perplexity = 3
	for _, tc := range []struct {
		name string
		cjk  bool
		draw func() (Drawer, error)
	}{
		{"embedding_tsne.png", false, func() (Drawer, error) { return EmbeddingMap(latin, vecs, tsneOpts) }},
		{"embedding_pca_cjk.png", true, func() (Drawer, error) {
			o := opts
			o.Title = "字向量 (PCA)"
			return EmbeddingMap(words, vecs, o)
		}},
		{"neighbours_cjk.png", true, func() (Drawer, error) {
			return NeighbourBars("月", []string{"星", "日", "天空", "AI人工", "石"}, []float64{0.81, 0.77, 0.64, -0.12, 0.05})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.cjk {
				cjkStyleOrSkip(t)
			}
			p, err := tc.draw()
			if err != nil {
				t.Fatal(err)
			}
			got, err := PNG(p, DefaultWidth, DefaultHeight)
			if err != nil {
				t.Fatal(err)
			}
			again, err := PNG(p, DefaultWidth, DefaultHeight)
			if err != nil || !bytes.Equal(got, again) {
				t.Fatalf("rendering twice gave different bytes (%v)", err)
			}
			checkGolden(t, tc.name, got)
		})
	}
}
