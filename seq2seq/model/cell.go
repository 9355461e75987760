package model

import (
	"fmt"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/ml/model"
)

// Cell kinds, the values of Config.Cell.
const (
	CellLSTM = "lstm" // Long short-term memory (the default): state h and memory c.
	CellGRU  = "gru"  // Gated recurrent unit: state h only.
	CellRNN  = "rnn"  // Plain (Elman) RNN, h' = tanh(x·Wx + h·Wh + b): state h only; the baseline the gates beat.
)

// State is a recurrent cell's state between time steps.
type State struct {
	H *Node // [B,H] hidden state: the cell's output, the attention query and the decoder's features.
	C *Node // [B,H] LSTM memory; nil for a GRU or RNN.
}

// Cell is one recurrent cell as the encoder and decoder use it; *LSTM, *GRU and *RNN implement it. The cells keep
// their own Step methods, which also return the gates; Cell hides the difference in state.
type Cell interface {
	// Advance runs one time step: input x [B,I] and state s → the new state.
	Advance(x *Node, s State) State
	// ZeroState is the all-zero state for a batch of the given size, in the dtype of the cell's weights.
	ZeroState(batch int) State
}

// newCell creates the cell named by cfg.Cell in scope, for inputs of size inputSize.
func newCell(scope *model.Scope, g *Graph, cfg Config, inputSize int) Cell {
	switch cfg.cell() {
	case CellLSTM:
		return NewLSTM(scope, g, inputSize, cfg.Hidden, cfg.ForgetBias)
	case CellGRU:
		return NewGRU(scope, g, inputSize, cfg.Hidden)
	case CellRNN:
		return NewRNN(scope, g, inputSize, cfg.Hidden)
	}
	panic(fmt.Sprintf("model: unknown cell %q (Config.Validate rejects it)", cfg.Cell))
}

// keepState is keep applied to every part of a state: new where mask [B] is true, old elsewhere.
func keepState(mask *Node, newS, oldS State) State {
	s := State{H: keep(mask, newS.H, oldS.H)}
	if newS.C != nil {
		s.C = keep(mask, newS.C, oldS.C)
	}
	return s
}

// zeroState is a [B,H] zero state (with memory when withC) in the dtype of w.
func zeroState(w *Node, batch, hidden int, withC bool) State {
	h := Zeros(w.Graph(), shapes.Make(w.DType(), batch, hidden))
	s := State{H: h}
	if withC {
		s.C = h
	}
	return s
}
