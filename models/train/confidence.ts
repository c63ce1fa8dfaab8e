/**
 * Confidence of an observed (user, item) strength w, as in Hu, Koren & Volinsky (2008) with their
 * log variant: c = 1 + alpha * ln(1 + w / epsilon). Play counts span 1..350 000 on Last.fm, so the
 * log keeps one obsessive listen from drowning the rest of a user's taste.
 * The scorer graph applies exactly this transform (see onnx/scorer.ts).
 */
export interface ConfidenceParams {
  alpha: number;
  epsilon: number;
}

export const confidence = (w: number, p: ConfidenceParams): number => 1 + p.alpha * Math.log1p(w / p.epsilon);

/**
 * Per-row L2 weight grows with the row's number of observed items: lambda * (n + 1)^nu
 * (frequency-scaled regularisation, Rendle et al. 2022 "Revisiting the performance of iALS").
 */
export const rowRegularization = (n: number, lambda: number, nu: number): number => lambda * (n + 1) ** nu;
