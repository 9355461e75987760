package plots

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Hand-written exact t-SNE. The Go t-SNE found on the module proxy (github.com/danaugrs/go-tsne, last
// changed 2020) draws from math/rand's global source, so a run cannot be seeded without mutating a
// global; the exact method is short and fine for the ≤ 1,000 words an embedding chart can label.

// TSNEConfig configures [TSNE]. Start from [DefaultTSNEConfig].
type TSNEConfig struct {
	// Perplexity is the effective number of neighbours each point's Gaussian covers (5 to 50); it is
	// lowered to (n-1)/3 for small n.
	Perplexity float64
	// Iterations is the number of gradient steps.
	Iterations int
	// LearningRate is the gradient step size; 0 chooses max(n/EarlyExaggeration/4, 50), scikit-learn's
	// "auto" rule (Belkina et al. 2019), which keeps small maps from blowing up.
	LearningRate float64
	// EarlyExaggeration multiplies the input affinities during the first ExaggerationIters steps, which
	// lets clusters form before they settle.
	EarlyExaggeration float64
	ExaggerationIters int
	// Seed seeds the initial layout (PCG), so the same points and config give the same map.
	Seed int64
}

// DefaultTSNEConfig returns perplexity 30, 1,000 iterations, the automatic learning rate, early
// exaggeration 12 for 250 iterations, seed 1.
func DefaultTSNEConfig() TSNEConfig {
	return TSNEConfig{Perplexity: 30, Iterations: 1000, EarlyExaggeration: 12, ExaggerationIters: 250, Seed: 1}
}

// MaxTSNEPoints bounds the number of points of [TSNE] (memory and time grow as n²).
const MaxTSNEPoints = 2000

// tsneStream is the PCG stream (second seed word) of the initial layout.
const tsneStream = 0x74736e655f763031 // "tsne_v01"

// TSNE embeds points [n][d] in two dimensions with exact t-SNE (van der Maaten & Hinton, 2008):
// Gaussian input affinities with a per-point bandwidth found by binary search to match the perplexity,
// symmetrised; Student-t output affinities; gradient descent with momentum (0.5, then 0.8 after the
// exaggeration phase), per-coordinate adaptive gains and early exaggeration; the layout is re-centred
// every step. It returns the map [n][2] and the final KL divergence KL(P‖Q).
//
// Errors: ErrNoData for no points; a named point for ragged rows or non-finite values; n >
// MaxTSNEPoints; a bad config field.
func TSNE(points [][]float32, cfg TSNEConfig) (proj [][2]float64, kl float64, err error) {
	n := len(points)
	if n == 0 || len(points[0]) == 0 {
		return nil, 0, fmt.Errorf("plots: t-SNE: %w: %d points", ErrNoData, n)
	}
	if n > MaxTSNEPoints {
		return nil, 0, fmt.Errorf("plots: t-SNE: %d points, at most %d (exact t-SNE is O(n²))", n, MaxTSNEPoints)
	}
	if !(cfg.Perplexity > 0) || cfg.Iterations < 1 || !(cfg.LearningRate >= 0) || !(cfg.EarlyExaggeration >= 1) || cfg.ExaggerationIters < 0 {
		return nil, 0, fmt.Errorf("plots: t-SNE: config %+v: want Perplexity > 0, Iterations ≥ 1, LearningRate ≥ 0, "+
			"EarlyExaggeration ≥ 1, ExaggerationIters ≥ 0", cfg)
	}
	d := len(points[0])
	for i, p := range points {
		if len(p) != d {
			return nil, 0, fmt.Errorf("plots: t-SNE: point %d has %d dimensions, point 0 has %d", i, len(p), d)
		}
		for k, v := range p {
			if !isFinite(float64(v)) {
				return nil, 0, fmt.Errorf("plots: t-SNE: point %d, dimension %d is %v", i, k, v)
			}
		}
	}
	proj = make([][2]float64, n)
	if n == 1 {
		return proj, 0, nil
	}
	perp := min(cfg.Perplexity, math.Max(float64(n-1)/3, 1))
	P := jointAffinities(sqDistances(points), perp)
	lr := cfg.LearningRate
	if lr == 0 {
		lr = math.Max(float64(n)/cfg.EarlyExaggeration/4, 50)
	}

	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), tsneStream))
	for i := range proj {
		proj[i] = [2]float64{1e-4 * rng.NormFloat64(), 1e-4 * rng.NormFloat64()}
	}
	update := make([][2]float64, n)
	gains := make([][2]float64, n)
	for i := range gains {
		gains[i] = [2]float64{1, 1}
	}
	grad := make([][2]float64, n)
	num := make([]float64, n*n)
	for it := range cfg.Iterations {
		exag, momentum := 1.0, 0.8
		if it < cfg.ExaggerationIters {
			exag, momentum = cfg.EarlyExaggeration, 0.5
		}
		tsneGradient(P, proj, num, grad, exag)
		for i := range proj {
			for c := range 2 {
				if (grad[i][c] > 0) != (update[i][c] > 0) {
					gains[i][c] += 0.2
				} else {
					gains[i][c] = math.Max(gains[i][c]*0.8, 0.01)
				}
				update[i][c] = momentum*update[i][c] - lr*gains[i][c]*grad[i][c]
				proj[i][c] += update[i][c]
			}
		}
		var mean [2]float64
		for _, y := range proj {
			mean[0] += y[0] / float64(n)
			mean[1] += y[1] / float64(n)
		}
		for i := range proj {
			proj[i][0] -= mean[0]
			proj[i][1] -= mean[1]
		}
	}
	return proj, tsneKL(P, proj), nil
}

// sqDistances returns the n×n squared Euclidean distances, row-major.
func sqDistances(points [][]float32) []float64 {
	n := len(points)
	D := make([]float64, n*n)
	for i := range n {
		for j := i + 1; j < n; j++ {
			s := 0.0
			for k := range points[i] {
				diff := float64(points[i][k]) - float64(points[j][k])
				s += diff * diff
			}
			D[i*n+j], D[j*n+i] = s, s
		}
	}
	return D
}

// conditionalRow fills row with p(j|i) ∝ exp(-beta·D[i,j]) (p(i|i) = 0) and returns its entropy in nats.
func conditionalRow(D []float64, n, i int, beta float64, row []float64) float64 {
	// Subtract the smallest distance so that exp does not underflow for far-away points.
	dmin := math.Inf(1)
	for j := range n {
		if j != i {
			dmin = math.Min(dmin, D[i*n+j])
		}
	}
	sum := 0.0
	for j := range n {
		row[j] = 0
		if j != i {
			row[j] = math.Exp(-beta * (D[i*n+j] - dmin))
			sum += row[j]
		}
	}
	h := 0.0
	for j := range n {
		row[j] /= sum
		if row[j] > 0 { // tested after the division, which may underflow to 0
			h -= row[j] * math.Log(row[j])
		}
	}
	return h
}

// calibrate finds, by bisection on beta = 1/(2σ²), the row of p(j|i) whose entropy is log(perp).
func calibrate(D []float64, n, i int, perp float64, row []float64) (beta float64) {
	target := math.Log(perp)
	beta, lo, hi := 1.0, 0.0, math.Inf(1)
	for range 100 {
		h := conditionalRow(D, n, i, beta, row)
		if math.Abs(h-target) < 1e-6 {
			return beta
		}
		if h > target { // too flat: narrow the Gaussian
			lo = beta
			if math.IsInf(hi, 1) {
				beta *= 2
			} else {
				beta = (beta + hi) / 2
			}
		} else {
			hi = beta
			beta = (beta + lo) / 2
		}
	}
	conditionalRow(D, n, i, beta, row)
	return beta
}

// jointAffinities returns P = (P(j|i) + P(i|j)) / 2n with each row calibrated to perplexity perp.
func jointAffinities(D []float64, perp float64) []float64 {
	n := int(math.Sqrt(float64(len(D))))
	cond := make([]float64, n*n)
	for i := range n {
		calibrate(D, n, i, perp, cond[i*n:(i+1)*n])
	}
	P := make([]float64, n*n)
	for i := range n {
		for j := range n {
			if i != j {
				P[i*n+j] = math.Max((cond[i*n+j]+cond[j*n+i])/(2*float64(n)), 1e-12)
			}
		}
	}
	return P
}

// tsneGradient writes dKL/dy into grad for affinities exag·P. num is scratch space [n*n].
func tsneGradient(P []float64, y [][2]float64, num []float64, grad [][2]float64, exag float64) {
	n := len(y)
	sum := 0.0
	for i := range n {
		for j := i + 1; j < n; j++ {
			dx, dy := y[i][0]-y[j][0], y[i][1]-y[j][1]
			v := 1 / (1 + dx*dx + dy*dy)
			num[i*n+j] = v
			sum += 2 * v
		}
	}
	clear(grad)
	for i := range n {
		for j := i + 1; j < n; j++ {
			v := num[i*n+j]
			m := 4 * (exag*P[i*n+j] - v/sum) * v
			gx, gy := m*(y[i][0]-y[j][0]), m*(y[i][1]-y[j][1])
			grad[i][0] += gx
			grad[i][1] += gy
			grad[j][0] -= gx
			grad[j][1] -= gy
		}
	}
}

// tsneKL returns KL(P‖Q) for the map y.
func tsneKL(P []float64, y [][2]float64) float64 {
	n := len(y)
	sum := 0.0
	for i := range n {
		for j := i + 1; j < n; j++ {
			dx, dy := y[i][0]-y[j][0], y[i][1]-y[j][1]
			sum += 2 / (1 + dx*dx + dy*dy)
		}
	}
	kl := 0.0
	for i := range n {
		for j := i + 1; j < n; j++ {
			dx, dy := y[i][0]-y[j][0], y[i][1]-y[j][1]
			q := math.Max(1/(1+dx*dx+dy*dy)/sum, 1e-12)
			kl += 2 * P[i*n+j] * math.Log(P[i*n+j]/q) // P and Q are symmetric
		}
	}
	return kl
}
