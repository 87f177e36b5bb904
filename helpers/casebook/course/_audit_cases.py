"""The model card and audit memo of notebooks 05 (Adult) and 06 (German Credit).

Private companion of :mod:`casebook.course.audit_documents`. Each builder reads only the
run's recorded results; the fixed scenario text (purpose, owner, review cadence) is the
case's. Direction words and verdicts are computed from the numbers, never assumed.
"""

from __future__ import annotations

from casebook.course._audit_records import Recorded, ci_of, findings_of, row_of, sheet_metric
from casebook.governance.documents import AuditMemo, Metric, ModelCard, interval_reading

# ----------------------------------------------------------------------------- 05 Adult


def adult(r: Recorded) -> tuple[ModelCard, AuditMemo]:
    rows = r["audit_sheet_rows"]
    dp = row_of(rows, "demographic_parity", "ratio")
    auc, auc_lo, auc_hi = ci_of(r, "model_auc_ci")
    metrics = [
        Metric("test ROC AUC", auc, low=auc_lo, high=auc_hi, reference=0.5, digits=3,
               note="bootstrap over test rows; 0.5 is a coin flip"),
        sheet_metric(rows, "demographic_parity", "ratio", "selection-rate ratio, women / men"),
        sheet_metric(rows, "equal_opportunity", "difference", "true positive rate gap"),
        sheet_metric(rows, "predictive_parity", "ratio", "precision ratio, lower / higher"),
    ]  # fmt: skip
    findings = findings_of(rows, prefix="sex: ")
    data = [
        f"UCI Adult, an extract of the 1994 US census: {r['n_train']:,} training and "
        f"{r['n_test']:,} test rows" + (" (sampled for a fast run)" if r.fast else ""),
        f"Women are {r['share_women']:.0%} of the rows; {r['base_rate_women']:.0%} of women and "
        f"{r['base_rate_men']:.0%} of men earn above $50K",
        f"The features predict sex with cross-validated AUC {r['proxy_auc_all_features']:.2f} "
        f"(relationship alone: {r['proxy_auc_relationship']:.2f}): leaving the sex column out "
        "does not leave the information out",
    ]
    limitations = [
        f"Label bias: among people alike in education, occupation and hours, a gap of "
        f"{r['label_gap_adjusted']:.2f} in the share earning above $50K remains (raw gap "
        f"{r['label_gap_raw']:.2f}). A model that reproduces these labels reproduces that gap.",
        f"The criteria conflict: with these base rates, equal precision and equal true positive "
        f"rates would force women's false positive rate to {r['implied_fpr_women']:.3f} against "
        f"the men's {r['fpr_men']:.3f}. No threshold policy satisfies every criterion.",
        f"Intersections are worse than sex alone: the least selected group ("
        f"{r['intersection_lowest_group']}) is selected at {r['intersection_dp_ratio']:.2f} times "
        "the rate of the most selected one; no interval was computed for it.",
        "The data are a 1994 census extract, not the bank's applicants: the audit must be "
        "repeated on applicant data before any launch. Race and the other attributes were "
        "explored (the error explorer) but not audited with intervals and verdicts.",
    ]
    card = ModelCard(
        "Model card: income pre-screen for a premium product (UCI Adult)",
        model="Logistic regression on five numeric inputs (age, years of education, capital "
        "gain and loss, weekly hours; scaled) and five categorical ones (work class, marital "
        "status, occupation, relationship, country; one-hot). Sex and race are not inputs. An "
        "applicant is pre-selected when the predicted probability of an income above $50K is "
        "at least 0.5.",
        purpose="Pre-screen applicants for a premium product whose eligibility rule is an "
        "income above $50K, so that advisers contact the pre-selected first.",
        out_of_scope=[
            "Credit, pricing or any decision other than the pre-screen.",
            "Populations other than the one audited (other countries, other years).",
            "Deciding for a person without an adviser's review.",
        ],
        data=data, metrics=metrics, findings=findings, limitations=limitations,
        decision_owner="Head of the premium product, with Legal's sign-off on the four-fifths rule",
        prepared=r.prepared, review_date=r.review(182), source=r.source,
    )  # fmt: skip
    lo, hi = dp["low"], dp["high"]
    status = dp["status"]
    if status == "fail":
        rec = (
            f"Do not launch with one threshold of 0.5. Women are selected at {dp['value']:.2f} "
            f"times the men's rate and the whole 95% interval ({lo:.2f} to {hi:.2f}) is below "
            "0.8: the failure is not noise."
        )
    elif status == "pass":
        rec = (
            f"The four-fifths rule is met: the whole 95% interval of the ratio ({lo:.2f} to "
            f"{hi:.2f}) is at or above 0.8. Launch may proceed on this criterion."
        )
    else:
        rec = (
            "The evidence does not settle the four-fifths rule: the ratio's interval reaches "
            "across 0.8. Collect more data before deciding."
        )
    rec += (
        " Choosing among the threshold policies below trades one fairness criterion for "
        "another; that choice is the decision owner's, the numbers are the analyst's."
    )
    steps = [
        f"Option, {p['policy']}: accuracy {p['accuracy']:.3f}, selection-rate ratio "
        f"{p['selection-rate ratio']:.2f}, TPR gap {p['TPR gap']:.3f}, PPV gap {p['PPV gap']:.3f}"
        for p in r["policy_table"]
    ]
    steps += [
        "Repeat the audit on the bank's own applicants, with intervals, before launch.",
        "After launch, compute the selection-rate ratio on every weekly batch with its interval "
        "(notebook 08 shows the monitoring job).",
    ]
    memo = AuditMemo(
        "Fairness audit memo: can the income pre-screen launch?",
        question="Legal allows the launch only if the pre-screen passes the four-fifths rule "
        "for women against men: a selection-rate ratio of at least 0.8, judged on its 95% "
        "interval rather than on the point estimate.",
        recommendation=rec, findings=findings, metrics=metrics[1:],
        limitations=limitations, next_steps=steps,
        decision_owner=card.decision_owner, prepared=r.prepared, review_date=card.review_date,
        source=r.source,
    )  # fmt: skip
    return card, memo


# ----------------------------------------------------------------------- 06 German Credit


def german_credit(r: Recorded) -> tuple[ModelCard, AuditMemo]:
    age_rows, sex_rows = r["age_sheet_rows"], r["sex_sheet_rows"]
    cut = r["age_cutoff"]
    auc, auc_lo, auc_hi = ci_of(r, "model_auc_ci")
    gap_lo, gap_hi = r["age_dp_gap_ci"]
    odds, odds_lo, odds_hi = r["age_odds_per_10_years"]
    no_age, no_age_lo, no_age_hi = r["no_age_gap_ci"]
    acc, acc_lo, acc_hi = r["no_age_accuracy_change_ci"]
    metrics = [
        Metric("out-of-fold ROC AUC", auc, low=auc_lo, high=auc_hi, reference=0.5, digits=3,
               note="bootstrap over applicants; 0.5 is a coin flip"),
        Metric(f"approval gap, older minus aged {cut} or under", r["age_dp_gap"], low=gap_lo,
               high=gap_hi, note="tolerance 0.10"),
        Metric("odds of a 'good' prediction per 10 years of age", odds, low=odds_lo,
               high=odds_hi, reference=1.0, note="from the fitted coefficient of age"),
        Metric("approval gap with age removed from the inputs", no_age, low=no_age_lo,
               high=no_age_hi, note="other inputs carry age"),
        Metric("accuracy change when age is removed", acc, low=acc_lo, high=acc_hi, digits=3,
               note="paired bootstrap, without minus with"),
    ]  # fmt: skip
    findings = findings_of(age_rows, prefix="age: ") + findings_of(sex_rows, prefix="sex: ")
    data = [
        f"German Credit (Statlog): 1,000 past applications labelled good or bad risk; "
        f"{r['n_young']} applicants aged {cut} or under, {r['n_women']} women, "
        f"{r['n_young_women']} young women",
        f"{r['good_rate_young']:.0%} of the young and {r['good_rate_older']:.0%} of the older "
        "applicants were judged good risks: some approval gap is expected from a fair model",
        "Sex is not recorded directly; it is read off a combined personal-status field.",
    ]
    limitations = [
        f"Small groups: about {r['n_needed_for_5pt_margin']} people are needed to know one "
        f"group's approval rate within 5 points, and only approval gaps of about "
        f"{r['detectable_gap_age']:.2f} or more between age groups would reliably show "
        f"(young women: {r['detectable_gap_young_women']:.2f}).",
        f"An inconclusive verdict means too little data, not no problem: the young group would "
        f"need about {r['young_needed_to_settle']:,} applicants (it has {r['n_young']}) for the "
        "age gap's interval to clear the 0.10 tolerance.",
        "The labels are the bank's past judgements, which may carry the very bias under audit.",
    ]
    owner = "Credit committee (chair), with Legal on the use of age as an input"
    card = ModelCard(
        "Model card: application scorecard (German Credit)",
        model="Logistic regression on the application's inputs (scaled numeric, one-hot "
        "categorical), age included, sex and personal status excluded. An application is "
        "approved when the predicted probability of a good risk is at least 0.5. Numbers are "
        "out of fold (5-fold cross-validation).",
        purpose="Renew the bank's application scorecard, which approves or declines credit "
        f"applications. A complaint asks whether it disadvantages applicants aged {cut} or "
        "under, or women.",
        out_of_scope=[
            "Pricing, limits or collections decisions.",
            "Applicant populations other than the one in the file.",
            "Certifying compliance with any particular law: that is Legal's call.",
        ],
        data=data, metrics=metrics, findings=findings, limitations=limitations,
        decision_owner=owner, prepared=r.prepared, review_date=r.review(91), source=r.source,
    )  # fmt: skip
    dp = row_of(age_rows, "demographic_parity", "difference")
    reading = interval_reading(gap_lo, gap_hi)
    if dp["status"] == "fail":
        rec = (
            f"Report a breach for age: the whole interval of the approval gap ({gap_lo:.2f} to "
            f"{gap_hi:.2f}) is above the 0.10 tolerance."
        )
    elif dp["status"] == "pass":
        rec = (
            f"The age approval gap is within tolerance: its whole interval ({gap_lo:.2f} to "
            f"{gap_hi:.2f}) is at or below 0.10."
        )
    else:
        rec = (
            f"Neither certify the scorecard for age nor report a breach. The approval gap is "
            f"{r['age_dp_gap']:.2f} (95% interval {gap_lo:.2f} to {gap_hi:.2f}, {reading}), and "
            "the interval reaches across the 0.10 tolerance, so this sample cannot say on which "
            "side of the tolerance the gap lies."
        )
    changed = r["decisions_changed_by_age"]
    rec += (
        f" Separately, age is an input: removing it changes the decision for {changed:.1%} of "
        "applicants, so two applicants who differ only in age can be decided differently "
        "(disparate treatment). Whether that use is lawful is for Legal to rule."
    )
    sex_fails = sum(f.status == "fail" for f in findings if f.criterion.startswith("sex: "))
    survives = no_age >= 0.5 * r["age_dp_gap"]
    steps = [
        (
            f"Collect outcomes until the group aged {cut} or under holds about "
            f"{r['young_needed_to_settle']:,} applicants (it has {r['n_young']}), then repeat "
            "the age audit."
            if r["young_needed_to_settle"] > r["n_young"]
            else "The sample already settles the age gap; repeat the audit at the review date."
        ),
        "Ask Legal to rule on age as an input before the renewal.",
        ("No sex criterion fails" if sex_fails == 0 else f"{sex_fails} sex criteria fail")
        + "; keep the sex audit in the periodic review.",
        f"Without age the approval gap is {no_age:.2f}, against {r['age_dp_gap']:.2f} with it: "
        + (
            "most of it survives, because other inputs carry age. If age must go, re-audit the "
            "model without it rather than assume the gap closes."
            if survives
            else "removing age closes more than half of it; re-audit the model without age "
            "before adopting it."
        ),
    ]
    memo = AuditMemo(
        "Fairness audit memo: does the scorecard disadvantage young applicants or women?",
        question=f"Does the scorecard disadvantage applicants aged {cut} or under, or women, "
        "beyond the committee's tolerance (an approval gap of at most 0.10 and a ratio of at "
        "least 0.8, judged on 95% intervals)?",
        recommendation=rec, findings=findings, metrics=metrics[1:], limitations=limitations,
        next_steps=steps, decision_owner=owner, prepared=r.prepared,
        review_date=card.review_date, source=r.source,
    )  # fmt: skip
    return card, memo
