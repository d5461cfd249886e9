"""The weighted score that ranks suppliers and compares their offers.

The supplier search and the offer comparison rank by the same rule, so that a
buyer sees the same order in both places:

* price: the lowest price scores 100, a higher price ``100 * lowest / price``;
* lead time: the shortest scores 100, a longer one
  ``100 * (1 + shortest) / (1 + days)`` (days can be 0);
* evaluation: the supplier's last evaluation score (0-100).

An unknown value (no price, no lead time, a supplier never evaluated) scores a
neutral 50. The three scores are weighted by the company's settings, the
weights normalised by their sum; when every weight is 0 the price alone counts.
"""

NEUTRAL_SCORE = 50.0


def bo_offer_weights(company):
    """``(price, lead time, evaluation)`` weights of ``company``, summing to 1."""
    weights = (
        company.bo_offer_weight_price,
        company.bo_offer_weight_lead_time,
        company.bo_offer_weight_evaluation,
    )
    total = sum(weights)
    if total <= 0:
        return (1.0, 0.0, 0.0)
    return tuple(weight / total for weight in weights)


def _relative_score(value, best, shifted=0.0):
    if value is None or best is None:
        return NEUTRAL_SCORE
    return 100.0 * (best + shifted) / (value + shifted)


def bo_offer_scores(company, candidates):
    """Score each candidate against the others.

    :param candidates: ``{key: (price, lead_days, evaluation)}``, each value
        ``None`` when unknown (a price must be positive to count)
    :return: ``{key: {"price": s, "lead_time": s, "evaluation": s, "score": s}}``
    """
    prices = [c[0] for c in candidates.values() if c[0] is not None and c[0] > 0]
    leads = [c[1] for c in candidates.values() if c[1] is not None]
    best_price = min(prices) if prices else None
    best_lead = max(min(leads), 0) if leads else None
    w_price, w_lead, w_eval = bo_offer_weights(company)
    scores = {}
    for key, (price, lead, evaluation) in candidates.items():
        price_score = _relative_score(price if price and price > 0 else None, best_price)
        lead_score = _relative_score(
            max(lead, 0) if lead is not None else None, best_lead, shifted=1.0
        )
        eval_score = NEUTRAL_SCORE if evaluation is None else evaluation
        scores[key] = {
            "price": round(price_score, 1),
            "lead_time": round(lead_score, 1),
            "evaluation": round(eval_score, 1),
            "score": round(w_price * price_score + w_lead * lead_score + w_eval * eval_score, 1),
        }
    return scores
