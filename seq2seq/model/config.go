package model

import (
	"errors"
	"fmt"
)

// Config describes one encoder-decoder. It is saved in every run folder as config.json.
type Config struct {
	VocabSize  int     `json:"vocab_size"`  // Tokens in the shared source/target vocabulary (V); set from the vocabulary.
	Embed      int     `json:"embed"`       // Token embedding size (E).
	Hidden     int     `json:"hidden"`      // LSTM state size (H) of encoder and decoder.
	Attention  int     `json:"attention"`   // Additive-attention size (A); 0 disables attention (baseline decoder).
	MaxSource  int     `json:"max_source"`  // Source positions (S) including the end token; longer inputs are rejected.
	MaxTarget  int     `json:"max_target"`  // Target positions (T) including the end token; greedy decoding stops here.
	ForgetBias float64 `json:"forget_bias"` // Initial bias of the LSTM forget gates (1 is the usual choice).
	Seed       int64   `json:"seed"`        // Seed of the weight initialisation.
}

// DefaultConfig is sized for the built-in date task: it reaches ≥95% exact match in a few minutes on 2 CPU cores.
func DefaultConfig() Config {
	return Config{Embed: 32, Hidden: 64, Attention: 32, MaxSource: 32, MaxTarget: 12, ForgetBias: 1, Seed: 1}
}

// ErrConfig is wrapped by every configuration error.
var ErrConfig = errors.New("invalid model config")

// Validate reports the first field that is out of range.
func (c Config) Validate() error {
	check := func(name string, v, min int) error {
		if v < min {
			return fmt.Errorf("%w: field %q is %d, must be ≥ %d", ErrConfig, name, v, min)
		}
		return nil
	}
	return errors.Join(
		check("vocab_size", c.VocabSize, 5),
		check("embed", c.Embed, 1),
		check("hidden", c.Hidden, 1),
		check("attention", c.Attention, 0),
		check("max_source", c.MaxSource, 1),
		check("max_target", c.MaxTarget, 1),
	)
}
