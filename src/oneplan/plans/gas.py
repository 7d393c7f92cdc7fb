"""Goal Attainment Scaling: the Kiresuk-Sherman T-score.

T = 50 + 10 * Σ(w_i x_i) / sqrt((1 - ρ) Σ w_i² + ρ (Σ w_i)²)

with x_i the attainment level of goal i (-2..+2), weights w_i (equal weights: w_i = 1)
and ρ the assumed correlation between goal scores, conventionally 0.3. With equal
weights the denominator is sqrt((1 - ρ) n + ρ n²). T = 50 means goals were attained as
expected on average; every 10 points is one standard deviation.
"""
import math

RHO = 0.3
LEVELS = (-2, -1, 0, 1, 2)


def t_score(levels: list[int], *, rho: float = RHO) -> float | None:
    """T-score for equally weighted goals; None when no goal was scored."""
    if not levels:
        return None
    if any(level not in LEVELS for level in levels):
        raise ValueError("GAS levels run from -2 to +2.")
    n = len(levels)
    return 50 + 10 * sum(levels) / math.sqrt((1 - rho) * n + rho * n * n)
