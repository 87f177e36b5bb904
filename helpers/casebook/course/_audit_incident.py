"""The model card and incident memo of notebook 08 (credit API bias monitoring).

Private companion of :mod:`casebook.course.audit_documents`: built from the run's recorded
results only; the recommendation follows the paired intervals of the retrained model.
"""

from __future__ import annotations

from casebook.course._audit_records import Recorded, ci_of
from casebook.fairness.audit import verdict
from casebook.governance.documents import AuditMemo, Finding, Metric, ModelCard

# ------------------------------------------------------------------ 08 credit API monitoring


def credit_api(r: Recorded) -> tuple[ModelCard, AuditMemo]:
    settings = r["kpi_settings"]
    tol = float(settings["tolerance"])
    drift, alert = r["drift_week"], r["first_alert_week"]
    feature = r["diagnosed_feature"]
    group = str(r["diagnosed_group"]).replace("_plus", "+").replace("_", " ")

    def change(key: str, name: str, note: str, digits: int = 2) -> Metric:
        est, lo, hi = ci_of(r, key)
        return Metric(name, est, low=lo, high=hi, digits=digits, note=note)

    fnr = change("fnr_gap_after_ci", "false negative rate gap, 50+ vs under 50, after the drift",
                 "good payers turned down; tolerance 0.10")  # fmt: skip
    ratio_b, ratio_lo, ratio_hi = ci_of(r, "retrained_ratio_after_ci")
    metrics = [
        fnr,
        change("retrain_ratio_change_ci", "approval-rate ratio change, retrained minus deployed",
               "weeks after the alert; paired bootstrap"),
        change("retrain_accuracy_change_ci", "accuracy change, retrained minus deployed",
               "weeks after the alert", digits=3),
        change("retrain_clean_accuracy_change_ci", "accuracy change on clean weeks",
               "before the drift: what dropping the feature costs", digits=3),
        Metric("retrained model's approval-rate ratio after the alert", ratio_b, low=ratio_lo,
               high=ratio_hi, reference=tol, note=f"min / max, read against the tolerance {tol:g}"),
    ]  # fmt: skip
    alert_status = "pass" if alert is None else "fail"
    alert_text = (
        "no alert in 40 weeks" if alert is None
        else f"first alert in week {alert}, {r['detection_delay_weeks']} weeks after the drift "
        f"began in week {drift}; {r['robust_false_alerts']} alerts before it"
    )  # fmt: skip
    findings = [
        Finding(f"deployed model: approval-rate ratio >= {tol:g} (robust weekly rule)",
                alert_status, alert_text),
        Finding("deployed model: false negative rate gap <= 0.10 after the drift",
                verdict(fnr.low, fnr.high, tolerance=0.1, method="difference"),
                f"{fnr.value:.2f}, 95% interval {fnr.low:.2f} to {fnr.high:.2f}"),
        Finding(f"retrained model: approval-rate ratio >= {tol:g} after the alert",
                verdict(ratio_lo, ratio_hi, tolerance=tol, method="ratio"),
                f"{ratio_b:.2f}, 95% interval {ratio_lo:.2f} to {ratio_hi:.2f}"),
    ]  # fmt: skip
    limitations = [
        "The stream is synthetic, with one planted cause; a real incident may have several.",
        f"A typical week can only detect approval-rate gaps of about "
        f"{r['detectable_gap_per_week']:.2f} or more; {len(r['small_weeks'])} weeks had too few "
        "applicants aged 50+ to be judged.",
        "Repayment outcomes mature months after a decision: the false negative rates are known "
        "only in hindsight; the weekly KPI needs no labels.",
    ]
    owner = "Head of Credit Risk (owner of the approval policy); the model risk committee reviews"
    card = ModelCard(
        "Model card: credit-scoring API (synthetic loan stream)",
        model="Standardized logistic regression on five application features (age is not one "
        "of them) predicting repayment. An application is approved when the predicted "
        "probability is above the threshold that approved 60% of the development sample.",
        purpose="Decide loan applications arriving through an API, thousands a week. Legal "
        "asked how the bank will know if the model starts treating applicants aged 50+ "
        "unfairly, and what it will do then.",
        out_of_scope=[
            "Pricing or credit limits.",
            "Any period without the weekly fairness KPI running: the card holds only while "
            "monitoring does.",
        ],
        data=[
            f"A synthetic stream: a development sample (week 0) and 40 live weeks of "
            f"{settings['batch_size']:,} applications each, with applicant age groups under 50 "
            "and 50+",
            f"A data change planted in week {drift}, known only because the data are synthetic",
        ],
        metrics=metrics, findings=findings, limitations=limitations, decision_owner=owner,
        prepared=r.prepared, review_date=r.review(30), source=r.source,
    )  # fmt: skip
    ratio_ch, acc_ch = metrics[1], metrics[2]
    better = ratio_ch.low > 0 and acc_ch.low > 0
    rec = (
        f"The alert is real: the diagnosis ranks `{feature}` first, shifted for the {group} "
        "group. "
        + (
            f"Replace the deployed model with the one retrained without `{feature}` until the "
            f"data source is fixed: on the weeks after the alert it changes the approval-rate "
            f"ratio by {ratio_ch.reading()} and accuracy by {acc_ch.reading()}."
            if better
            else "Retraining without the feature did not improve both the ratio and accuracy "
            "on the weeks after the alert; escalate to the data owner before changing the model."
        )
    )
    steps = [
        f"Restore the previous definition of `{feature}` with the data vendor; then bring back "
        "the original model after its own audit.",
        f"Cost of the stopgap on clean weeks: accuracy change {metrics[3].reading()}.",
        f"Keep the weekly rule: interval below {tol:g} for {settings['consecutive']} judged "
        f"weeks in a row, groups of at least {settings['min_group_size']}.",
        "Monthly, once outcomes mature: the false negative rate gap with its interval.",
    ]
    memo = AuditMemo(
        "Fairness incident memo: approval-rate drift for applicants aged 50+",
        question=f"The weekly fairness rule alerted (approval-rate ratio below {tol:g}). Should "
        "the deployed model keep deciding, and what replaces it?",
        recommendation=rec, findings=findings, metrics=metrics, limitations=limitations,
        next_steps=steps, decision_owner=owner, prepared=r.prepared,
        review_date=card.review_date, source=r.source,
    )  # fmt: skip
    return card, memo
