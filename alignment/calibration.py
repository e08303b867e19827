"""Calibration of bead evidence into log-likelihood ratios: a ridge logistic regression on the
cosines (Platt 1999, on self-selected samples) and Gale & Church's (1993) length z against a
wider spread for non-translations."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Calibration:
    """Turns a bead's evidence into log-likelihood ratios, translation vs. neighbouring sentence.

    Similarity: each sentence of a bead scores intercept + slope * cosine (its cosine with
    the other side of the bead), fitted by a ridge logistic regression on balanced samples,
    so weak evidence (no lexicon, distant languages) weighs little and strong evidence a lot.
    (Letting the slope depend on a sentence's information lowered the log-loss but not the
    alignment error, so it stays simple.)
    Length: Gale & Church's z is N(0, 1) for translations and spreads wider,
    N(0, length_spread^2), for sentences that are not each other's translation.
    """

    intercept: float = -3.0
    slope: float = 15.0
    length_spread: float = 3.0

    def log_likelihood_ratio(self, cosine: np.ndarray) -> np.ndarray:
        """Evidence of one sentence's cosine with the other side of its bead."""
        return self.intercept + self.slope * cosine

    def length_log_likelihood_ratio(self, z: np.ndarray) -> np.ndarray:
        """Evidence of a bead's length agreement: log N(z; 0, 1) - log N(z; 0, spread^2)."""
        spread = self.length_spread
        return -0.5 * z * z * (1.0 - 1.0 / (spread * spread)) + np.log(spread)

    @classmethod
    def fit(cls, positives: np.ndarray, negatives: np.ndarray, negative_z: np.ndarray,
            ridge: float = 1e-4) -> Calibration:
        """Estimate from cosines of likely translations and of likely non-translations,
        and from the length z of the latter."""
        spread = cls.length_spread
        if len(negative_z) >= 10:  # robust: median |z| of a normal is 0.674 sigma
            spread = float(np.clip(np.median(np.abs(negative_z)) / 0.674, 1.5, 20.0))
        if len(positives) < 10 or len(negatives) < 10:
            return cls(length_spread=spread)
        x = np.concatenate([positives, negatives])
        y = np.concatenate([np.ones(len(positives)), np.zeros(len(negatives))])
        weight = np.concatenate([np.full(len(positives), 0.5 / len(positives)),
                                 np.full(len(negatives), 0.5 / len(negatives))])
        features = np.stack([np.ones_like(x), x], axis=1)
        theta = np.zeros(2)
        penalty = np.diag([0.0, ridge])
        for _ in range(30):  # Newton-Raphson (IRLS)
            p = 1.0 / (1.0 + np.exp(-np.clip(features @ theta, -30, 30)))
            gradient = features.T @ (weight * (p - y)) + penalty @ theta
            hessian = (features * (weight * p * (1 - p))[:, None]).T @ features + penalty
            step = np.linalg.solve(hessian + 1e-9 * np.eye(2), gradient)
            theta -= step
            if np.abs(step).max() < 1e-7:
                break
        if theta[1] <= 0:  # the cosine tells translations from neighbours apart not at all
            return cls(0.0, 0.0, spread)
        return cls(float(theta[0]), float(theta[1]), spread)
