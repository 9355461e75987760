package bench

import (
	"fmt"
	"slices"
)

// Config is one benchmark size. Every framework builds the same model from it: source and target embeddings
// [Vocab,Embed], an LSTM encoder of Hidden units, additive attention of size Attention, an LSTM decoder cell
// reading [embedding; context] and an output layer reading [h; context].
type Config struct {
	Name      string `json:"name"`      // "S" or "L".
	Vocab     int    `json:"vocab"`     // V: shared vocabulary, ids 0..3 reserved (pad, bos, eos, unk).
	Embed     int    `json:"embed"`     // E.
	Hidden    int    `json:"hidden"`    // H.
	Attention int    `json:"attention"` // A: size of the additive attention's hidden layer.
	Batch     int    `json:"batch"`     // B.
	Source    int    `json:"source"`    // S: source positions, the end token included.
	Target    int    `json:"target"`    // T: target positions, the end token included.
	Decode    int    `json:"decode"`    // Decoding steps of the latency and throughput figures.
	Beam      int    `json:"beam"`      // Beam width of the beam-search latency figure.
}

// Configs are the two sizes of the issue: S (vocabulary 64, embedding 64, hidden 128, batch 64, lengths 24) and
// L (vocabulary 8,000, embedding 256, hidden 512, batch 64, lengths 32). The attention size equals the hidden
// size. Decoding figures use 24 steps and a beam of 5 in both.
var Configs = []Config{
	{Name: "S", Vocab: 64, Embed: 64, Hidden: 128, Attention: 128, Batch: 64, Source: 24, Target: 24, Decode: 24, Beam: 5},
	{Name: "L", Vocab: 8000, Embed: 256, Hidden: 512, Attention: 512, Batch: 64, Source: 32, Target: 32, Decode: 24, Beam: 5},
}

// ConfigByName returns the configuration called name ("S" or "L").
func ConfigByName(name string) (Config, error) {
	i := slices.IndexFunc(Configs, func(c Config) bool { return c.Name == name })
	if i < 0 {
		return Config{}, fmt.Errorf("bench: unknown config %q: valid names are \"S\" and \"L\"", name)
	}
	return Configs[i], nil
}

// TargetTokens is the number of target tokens in one training batch, B·T: the unit of the tokens/s figures.
func (c Config) TargetTokens() int { return c.Batch * c.Target }

// Flops counts floating-point operations analytically, 2 per multiply-add of every matrix product of the model.
// Elementwise work (gate nonlinearities, softmax, tanh of the attention energy, the loss) and embedding lookups
// are not counted: they are O(B·H) per step against O(B·H²) for the products, and counting only the products
// makes the figure comparable with a matmul peak. With B rows, S source and n decoder steps:
//
//	encoder      S · 2B(E+H)·4H           x·Wx + h·Wh of the LSTM
//	keys         2B·S·H·A                 W_k·enc_s, once per source
//	per decoder step:
//	  query      2B·H·A                   W_q·h
//	  scores     2B·S·A                   vᵀ·tanh(…)
//	  context    2B·S·H                   Σ α_s enc_s
//	  cell       2B(E+2H)·4H              LSTM over [embedding; context]
//	  output     2B·2H·V                  [h; context]·W_out
//
// Training counts 3× the forward pass (the backward pass costs about twice the forward: one product for the
// input's gradient, one for the weight's), the usual convention.
func (c Config) Flops(batch, decoderSteps int) float64 {
	B, E, H, A, V, S := float64(batch), float64(c.Embed), float64(c.Hidden), float64(c.Attention), float64(c.Vocab), float64(c.Source)
	encoder := S * 2 * B * (E + H) * 4 * H
	keys := 2 * B * S * H * A
	step := 2*B*H*A + 2*B*S*A + 2*B*S*H + 2*B*(E+2*H)*4*H + 2*B*2*H*V
	return encoder + keys + float64(decoderSteps)*step
}

// TrainFlops is the FLOP count of one training step: 3 × the teacher-forced forward pass over a batch.
func (c Config) TrainFlops() float64 { return 3 * c.Flops(c.Batch, c.Target) }

// DecodeFlops is the FLOP count of decoding batch rows for c.Decode steps (forward only).
func (c Config) DecodeFlops(batch int) float64 { return c.Flops(batch, c.Decode) }
