#!/usr/bin/env python3
"""The stockpile model of MODEL.md (format 2) in numpy, written as a Python analyst would.

This is the yardstick of issue 18: the engine's speed target is a ratio against this
script, so it is meant to be a fair competitor, not a straw man. Every array holds all
Monte Carlo paths at once (paths x months); the only Python loops run over products,
materials, scenarios, events and months, never over paths. It follows MODEL.md, not the
engine's code, and draws its own random numbers (numpy's PCG64), so it agrees with the
engine exactly where no randomness is involved and within sampling error elsewhere.

    python3 bench/numpy_model.py PROJECT.json            # a table per material
    python3 bench/numpy_model.py PROJECT.json --json     # timings and figures as JSON
    python3 bench/numpy_model.py --check                 # MODEL.md's exact checks

The project is the JSON form of a validated project (`stockpile-planner bench --numpy`
writes it with serde_json: every field present, enums externally tagged). Uses only
numpy and the standard library.
"""

import time

STARTED_NS = time.time_ns()

import argparse  # noqa: E402  (the clock above must run before any import)
import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
from statistics import NormalDist  # noqa: E402

IMPORT_STARTED = time.perf_counter()
import numpy as np  # noqa: E402

IMPORT_MS = (time.perf_counter() - IMPORT_STARTED) * 1000.0

DEFICIT_TOLERANCE_KG = 1e-9  # "a deficit counts as positive above 1e-9 kg"
LEVEL_TOLERANCE = 1e-9  # k = ceil(a*n - 1e-9), mixture sums compared with a - 1e-9
DAYS_PER_MONTH = 30.0  # day counts to months (licence delays, lead times)
DAYS_PER_AVERAGE_MONTH = 30.4375  # days of cover
FAN_LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)
COST_CURVE_POINTS = 101
NEVER = np.inf  # a run-out month that never comes within the horizon


# ---------------------------------------------------------------------------- inputs


def month_index(start, month):
    """Months from the plan's start ("YYYY-MM") to a calendar month; may be negative."""
    y0, m0 = map(int, start.split("-"))
    y1, m1 = map(int, month.split("-"))
    return (y1 - y0) * 12 + (m1 - m0)


def tagged(value):
    """An externally tagged serde enum: {"Tag": payload} or a bare "Tag"."""
    if isinstance(value, str):
        return value, None
    (tag, payload), = value.items()
    return tag, payload


def draw(rng, dist, n):
    """n draws of a Fixed, Uniform(a, b) or Triangular(min, mode, max) quantity."""
    tag, p = tagged(dist)
    if tag == "Fixed":
        return np.full(n, float(p))
    if tag == "Uniform":
        a, b = p
        return rng.uniform(a, b, n) if b > a else np.full(n, float(a))
    lo, mode, hi = p
    return rng.triangular(lo, mode, hi, n) if hi > lo else np.full(n, float(lo))


def draw_start(rng, start, plan_start, n):
    """A fixed start month, or a whole month drawn uniformly from `from..=to`."""
    tag, p = tagged(start)
    if tag == "Fixed":
        return np.full(n, float(month_index(plan_start, p)))
    lo, hi = (month_index(plan_start, month) for month in p)
    return rng.integers(lo, hi + 1, n).astype(float)


def cover(months, start, end):
    """|[t, t+1) ∩ [start, end)| for every month (rows) and path (columns)."""
    return np.clip(
        np.minimum(months[:, None] + 1.0, end) - np.maximum(months[:, None], start), 0.0, 1.0
    )


def kth_smallest(samples, level, axis=0):
    """The k-th smallest sample, k = ceil(level * n - 1e-9) (at least 1)."""
    n = samples.shape[axis]
    k = min(max(math.ceil(level * n - LEVEL_TOLERANCE), 1), n)
    return np.take(np.partition(samples, k - 1, axis=axis), k - 1, axis=axis)


# --------------------------------------------------------------------------- events


class Realised:
    """One event's draws on every path of one scenario: its loss share per path and
    month, when its first loss starts (inf where it removes nothing), and for a `Once`
    event what it adds to the price multiplier."""

    def __init__(self, materials, end_uses, loss, first_loss, price_added):
        self.materials = materials  # None: all materials
        self.end_uses = end_uses
        self.loss = loss
        self.first_loss = first_loss
        self.price_added = price_added

    def hits_material(self, material_id):
        return self.materials is None or material_id in self.materials

    def hits_class(self, end_use):
        """Military-only events hit Military and Dual products, civil-only ones Civil and
        Dual products and direct demand."""
        if self.end_uses == "MilitaryOnly":
            return end_use in ("Military", "Dual")
        if self.end_uses == "CivilOnly":
            return end_use in ("Civil", "Dual")
        return True


def realise(rng, event, plan_start, horizon, n):
    tag, e = tagged(event)
    months = np.arange(horizon, dtype=float)
    materials_tag, only = tagged(e["materials"])
    materials = None if materials_tag == "All" else set(only)
    if tag == "Once":
        occurs = rng.random(n) < e["probability"]
        start = draw_start(rng, e["start"], plan_start, n)
        duration = draw(rng, e["duration_months"], n)
        cut = draw(rng, e["supply_cut"], n)
        gap = np.minimum(draw(rng, e["licence_delay_days"], n) / DAYS_PER_MONTH, duration)
        in_event = cover(months, start, start + duration)
        # loss(t) = cut * cover(t, [s, s+dur)) + (1 - cut) * cover(t, [s, s+g))
        loss = cut * in_event + (1.0 - cut) * cover(months, start, start + gap)
        loss *= occurs
        end = np.where(cut > 0.0, start + duration, start + gap)
        has_loss = (
            occurs & (duration > 0.0) & ((cut > 0.0) | (gap > 0.0)) & (start < horizon) & (end > 0.0)
        )
        price_added = (e["price_multiplier"] - 1.0) * in_event * occurs
        return Realised(materials, e["end_uses"], loss, np.where(has_loss, start, np.inf), price_added)
    # Recurring: alternating exponential up-times and outages from month 0, up first;
    # the loop runs over outages (all paths at once) until every path is past the horizon.
    cut = draw(rng, e["supply_cut"], n)
    clock = np.zeros(n)
    outage_cover = np.zeros((horizon, n))
    first_outage = np.full(n, np.inf)
    while True:
        clock = clock + rng.exponential(e["mean_months_between"], n)
        inside = clock < horizon
        if not inside.any():
            break
        end = clock + rng.exponential(e["mean_duration_months"], n)
        outage_cover += cover(months, clock, end) * inside
        first_outage = np.where(inside & np.isinf(first_outage), clock, first_outage)
        clock = np.where(inside, end, clock)
    first_loss = np.where(cut > 0.0, first_outage, np.inf)
    return Realised(materials, e["end_uses"], cut * outage_cover, first_loss, None)


# ----------------------------------------------------------------------------- model


def service_level_for(project, material, products):
    """The project's fixed level, or with Auto the newsvendor critical ratio, clamped,
    with the costs it comes from (c_o, c_u)."""
    horizon = project["horizon_months"]
    overage = material["price_per_kg"] * material["carrying_cost_per_year"] * horizon / 12.0
    if project["shortage_cost_per_kg"] is not None:
        underage = project["shortage_cost_per_kg"]
    else:
        users = [(p, p["bill_of_materials"].get(material["id"], 0.0)) for p in products]
        users = [(p, kg) for p, kg in users if kg > 0.0]
        kg = sum(p["units_per_month"] * kg for p, kg in users)
        margin = sum(p["units_per_month"] * p["margin_per_unit"] for p, _ in users)
        underage = margin / kg if kg > 0.0 else 0.0
    critical = underage / (underage + overage) if underage + overage > 0.0 else 0.5
    tag, fixed = tagged(project["service_level"])
    level = fixed if tag == "Fixed" else min(max(critical, 0.5), 0.999)
    return level, overage, underage, critical


def mixture_quantiles(samples_by_scenario, weights, levels):
    """The blended quantile of every month (row) at every level: the smallest x with
    sum_s w_s * c_s(x) / n >= level - 1e-9. One sort per month shares the levels; one
    `searchsorted` finds them all, each month's cumulative weights (within [0, 1])
    offset by 2 per month so that the rows laid end to end stay sorted."""
    months, n = samples_by_scenario[0].shape
    pooled = np.concatenate(samples_by_scenario, axis=1)
    width = pooled.shape[1]
    sample_weights = np.repeat(np.asarray(weights) / n, n)
    order = np.argsort(pooled, axis=1)
    ordered = np.take_along_axis(pooled, order, axis=1)
    offsets = 2.0 * np.arange(months)
    cumulative = (np.cumsum(sample_weights[order], axis=1) + offsets[:, None]).ravel()
    wanted = np.asarray(levels)[:, None] - LEVEL_TOLERANCE + offsets  # levels x months
    first = np.searchsorted(cumulative, wanted) - width * np.arange(months)
    rows = np.arange(months)
    return [ordered[rows, np.minimum(index, width - 1)] for index in first]


def run_out_months(net, stock_kg):
    """Per path, the first month whose drawdown from a full stock, Dd[t+1] = max(0, Dd[t]
    + net[t]), exceeds the stock; NEVER when it does not within the horizon."""
    horizon, n = net.shape
    drawdown = np.zeros(n)
    month = np.full(n, NEVER)
    for t in range(horizon):
        drawdown = np.maximum(0.0, drawdown + net[t])
        month = np.where((drawdown > stock_kg) & np.isinf(month), t, month)
    return month


def kth_month(months, level):
    """The ceil(level * n)-th smallest run-out month; None when it is NEVER."""
    month = kth_smallest(months, level)
    return None if np.isinf(month) else int(month)


def follow_plan(raw, net, target, on_hand, safety_stock, cap, lead):
    """Each path following the build-up plan (MODEL.md "the risk while building up"):
    returns its run-out month (NEVER if it does not run out)."""
    horizon, n = raw.shape
    stock = np.full(n, max(0.0, on_hand - safety_stock))  # x[t], the strategic stock
    held = min(on_hand, safety_stock)
    orders = np.zeros((horizon, n))
    month = np.full(n, NEVER)
    for t in range(horizon):
        arriving = orders[t - lead] if t >= lead else 0.0
        if t + lead < horizon:
            on_order = orders[max(0, t - lead) : t].sum(axis=0)
            wanted = target[t + lead] - (stock + held) - on_order
            order = np.minimum(cap, np.maximum(0.0, wanted))
            # Nothing to buy from while the restricted supply is cut.
            orders[t] = np.where(raw[t] > DEFICIT_TOLERANCE_KG, 0.0, order)
            if lead == 0:
                arriving = orders[t]
        stock = stock + arriving - net[t]
        month = np.where((stock < 0.0) & np.isinf(month), t, month)
    return month


def build_up(target, on_hand, cap, lead, price_index):
    """The plan as scheduled, with no disruption (scalar: one plan per material)."""
    horizon = len(target)
    stock = on_hand
    orders = np.zeros(horizon)
    reaches = None
    for t in range(horizon):
        if t + lead < horizon:
            on_order = orders[max(0, t - lead) : t].sum()
            orders[t] = min(cap, max(0.0, target[t + lead] - stock - on_order))
        stock += orders[t - lead] if t >= lead else 0.0
        if reaches is None and stock >= target[0]:
            reaches = t
    kg_bought = orders.sum()
    cost = float(orders @ price_index)
    return {
        "kg_bought": float(kg_bought),
        "reaches_recommendation_month": reaches,
        "cost": cost,
        "cost_at_todays_price": float(kg_bought * price_index[0]),
        "value_of_buying_ahead": cost - float(kg_bought * price_index[0]),
    }


def demand_noise(rng, products, months, n):
    """Units per month of every product, month and path: the forecast times eps[p, t, k],
    lognormal with mean 1, drawn once per product and shared by every scenario (common
    random numbers)."""
    units = []
    for product in products:
        forecast = product["units_per_month"] * (1.0 + product["growth_per_year"]) ** (months / 12.0)
        cv = product["demand_cv"]
        if cv > 0.0:
            sigma2 = math.log1p(cv * cv)
            noise = np.exp(rng.normal(-sigma2 / 2.0, math.sqrt(sigma2), (len(months), n)))
            units.append(forecast[:, None] * noise)
        else:
            units.append(np.broadcast_to(forecast[:, None], (len(months), n)))
    return units


def material_demand(material, products, demand_units):
    """D[m, t] by end-use class (direct demand is civil, without noise or growth), Dbar
    and sigma_D^2."""
    mid = material["id"]
    by_class = {}
    forecast_kg = material["direct_kg_per_month"]
    variance = 0.0
    for product, units in zip(products, demand_units):
        kg = product["bill_of_materials"].get(mid, 0.0)
        if kg <= 0.0:
            continue
        by_class[product["end_use"]] = by_class.get(product["end_use"], 0.0) + kg * units
        forecast_kg += kg * product["units_per_month"]
        variance += (kg * product["units_per_month"] * product["demand_cv"]) ** 2
    if material["direct_kg_per_month"] > 0.0:
        by_class["Civil"] = by_class.get("Civil", 0.0) + material["direct_kg_per_month"]
    return by_class, forecast_kg, variance


class ScenarioPaths:
    """One scenario's paths for one material (months x paths): the deficit before
    alternatives, deficit' after them, the net drawdown (less the rebuild r), the
    deepest drawdown M, and the mean price multiplier of each month."""

    def __init__(self, material, events, demand_by_class, months, n, rebuild, cap, lead):
        horizon = len(months)
        if not events:  # a calm scenario for this material: nothing to draw down
            calm = np.zeros((horizon, n))
            self.deficit = self.net = self.drawdown = self.deepest = calm
            self.price_multiplier = np.ones(horizon)
            return
        deficit = np.zeros((horizon, n))
        for end_use, demand in demand_by_class.items():
            availability = 1.0
            for event in events:
                if event.hits_class(end_use):
                    availability = availability * (1.0 - event.loss)
            deficit += demand * (1.0 - availability)
        deficit *= material["exposed_share"]

        first_loss = np.full(n, np.inf)
        price = np.ones((horizon, n))
        for event in events:
            first_loss = np.minimum(first_loss, event.first_loss)
            if event.price_added is not None:
                price += event.price_added
        self.price_multiplier = price.mean(axis=1)

        # alt[m, t]: qualified alternative capacity, from s_i + q_i on paths with a loss.
        hit = np.isfinite(first_loss)
        alternative = np.zeros((horizon, n))
        for alt in material["alternatives"]:
            if alt["qualification_starts"] == "AtFirstLoss":
                qualifying = first_loss
            else:
                qualifying = np.minimum(0.0, first_loss)
            qualified = np.where(hit, qualifying + alt["qualification_months"], np.inf)
            alternative += alt["capacity_kg_per_month"] * cover(months, qualified, np.full(n, np.inf))
        net = np.maximum(0.0, deficit - alternative)  # deficit'[m, t]

        if rebuild:
            # r[m, t]: the cap in a month whose deficit and the lead time's months before
            # it are clean, else the alternatives' spare capacity up to it.
            short = np.cumsum(deficit > DEFICIT_TOLERANCE_KG, axis=0)
            before = np.zeros_like(short)
            before[lead + 1 :] = short[: max(0, horizon - lead - 1)]
            clean = short - before == 0
            rebuild_kg = np.where(clean, cap, np.minimum(cap, np.maximum(0.0, alternative - deficit)))
            drawdown = net - rebuild_kg
            # B[t] = max(0, net[t] - r[t] + B[t+1]), M[t] = max(B[t], M[t+1]).
            deepest = np.empty((horizon, n))
            b = np.zeros(n)
            m = np.zeros(n)
            for t in range(horizon - 1, -1, -1):
                b = np.maximum(0.0, drawdown[t] + b)
                m = np.maximum(m, b)
                deepest[t] = m
        else:
            drawdown = net
            deepest = np.cumsum(net[::-1], axis=0)[::-1]
        self.deficit, self.net, self.drawdown, self.deepest = deficit, net, drawdown, deepest


def scenario_figures(scenario, weight, paths, level, strategic_on_hand, plan_following):
    """One scenario's figures at month 0 and on hand; `plan_following` is its paths'
    run-out months while following the build-up plan."""
    n = paths.deepest.shape[1]
    month0 = paths.deepest[0]
    half = 1.959964 * math.sqrt(level * (1.0 - level) / n)
    runs_out = run_out_months(paths.drawdown, strategic_on_hand)
    return {
        "id": scenario["id"],
        "probability": weight,
        "strategic_buffer_kg": float(kth_smallest(month0, level)),
        "strategic_buffer_ci95_kg": [
            float(kth_smallest(month0, max(level - half, 1.0 / n))),
            float(kth_smallest(month0, min(level + half, 1.0))),
        ],
        "mean_buffer_kg": float(month0.mean()),
        "stockout_probability_at_on_hand": float((month0 > strategic_on_hand).mean()),
        "expected_shortfall_kg_at_on_hand": float(np.maximum(0.0, month0 - strategic_on_hand).mean()),
        "run_out_month_median": kth_month(runs_out, 0.5),
        "run_out_month_p10": kth_month(runs_out, 0.1),
        "shortfall_in_last_month_kg": float(kth_smallest(paths.net[-1], 0.5)),
        "run_out_probability_following_plan": float(np.isfinite(plan_following).mean()),
    }


def blended_median_month(months_by_scenario, weights):
    """The smallest month by which half the weighted paths have run out (None if never)."""
    n = len(months_by_scenario[0])
    pooled = np.concatenate(months_by_scenario)
    order = np.argsort(pooled, kind="stable")
    reached = np.cumsum(np.repeat(np.asarray(weights) / n, n)[order]) >= 0.5 - LEVEL_TOLERANCE
    month = pooled[order][np.argmax(reached)] if reached.any() else NEVER
    return None if np.isinf(month) else int(month)


def cost_curve(month0_by_scenario, weights, overage, underage, cost_optimal):
    """E[cost](S) = c_o E[(S - M)+] + c_u E[(M - S)+] at evenly spaced stock sizes S."""
    curve_max = max([cost_optimal] + [float(m.max()) for m, w in zip(month0_by_scenario, weights) if w > 0.0])
    stocks = np.linspace(0.0, curve_max, COST_CURVE_POINTS)
    return sum(
        w * (overage * np.maximum(0.0, stocks[:, None] - m[None, :]).mean(axis=1)
             + underage * np.maximum(0.0, m[None, :] - stocks[:, None]).mean(axis=1))
        for m, w in zip(month0_by_scenario, weights)
    )


def material_figures(project, material, demand_units, realised, weights):
    """One material's recommendation (MODEL.md "Recommendation" and after)."""
    n = project["paths"]
    months = np.arange(project["horizon_months"], dtype=float)
    level, overage, underage, critical = service_level_for(project, material, project["products"])
    demand_by_class, forecast_kg, demand_variance = material_demand(material, project["products"], demand_units)
    lead = math.ceil(material["lead_time_days"] / DAYS_PER_MONTH - 1e-9)
    safety_stock = NormalDist().inv_cdf(level) * math.sqrt(
        material["lead_time_days"] / DAYS_PER_MONTH * demand_variance
        + forecast_kg**2 * (material["lead_time_sd_days"] / DAYS_PER_MONTH) ** 2
    )
    cap = material["max_purchase_kg_per_month"]
    cap = np.inf if cap is None else cap
    on_hand = material["on_hand_kg"]
    strategic_on_hand = max(0.0, on_hand - safety_stock)

    paths = [
        ScenarioPaths(material, [e for e in events if e.hits_material(material["id"])], demand_by_class,
                      months, n, project["rebuild_after_disruption"], cap, lead)
        for events in realised
    ]
    price_index = material["price_per_kg"] * sum(w * p.price_multiplier for w, p in zip(weights, paths))

    # The blended buffer per month with its interval, fan and cost-optimal level.
    n_eff = n / sum(w * w for w in weights)
    half_width = 1.959964 * math.sqrt(level * (1.0 - level) / n_eff)
    levels = [level, max(level - half_width, 1.0 / n_eff), min(level + half_width, 1.0), critical]
    blended, ci_low, ci_high, optimal, *fan = mixture_quantiles(
        [p.deepest for p in paths], weights, levels + list(FAN_LEVELS)
    )
    target = safety_stock + blended
    recommended = float(target[0])

    following = [follow_plan(p.deficit, p.net, target, on_hand, safety_stock, cap, lead) for p in paths]
    by_scenario = [
        scenario_figures(scenario, w, p, level, strategic_on_hand, f)
        for scenario, w, p, f in zip(project["scenarios"], weights, paths, following)
    ]
    blend = lambda key: sum(w * sc[key] for w, sc in zip(weights, by_scenario))  # noqa: E731

    driving = max((s for s, w in enumerate(weights) if w > 0.0),
                  key=lambda s: (by_scenario[s]["strategic_buffer_kg"], -s))
    plan = build_up(target, on_hand, cap, lead, price_index)
    plan["gap_cost_at_todays_price"] = max(0.0, recommended - on_hand) * float(price_index[0])
    plan["driving_run_out_month"] = by_scenario[driving]["run_out_month_median"]
    plan["run_out_probability_following_plan"] = blend("run_out_probability_following_plan")
    plan["run_out_month_median_following_plan"] = blended_median_month(following, weights)

    return {
        "id": material["id"],
        "service_level": level,
        "mean_monthly_demand_kg": forecast_kg,
        "safety_stock_kg": safety_stock,
        "strategic_buffer_kg": float(blended[0]),
        "strategic_buffer_ci95_kg": [float(ci_low[0]), float(ci_high[0])],
        "recommended_stock_kg": recommended,
        "days_of_cover": recommended / (forecast_kg / DAYS_PER_AVERAGE_MONTH) if forecast_kg > 0 else None,
        "share_of_annual_consumption": recommended / (12.0 * forecast_kg) if forecast_kg > 0 else None,
        "gap_kg": max(0.0, recommended - on_hand),
        "stockout_probability_at_on_hand": blend("stockout_probability_at_on_hand"),
        "expected_shortfall_kg_at_on_hand": blend("expected_shortfall_kg_at_on_hand"),
        "holding_cost_per_year": recommended * material["price_per_kg"] * material["carrying_cost_per_year"],
        "open_ended": any(w > 0.0 and sc["shortfall_in_last_month_kg"] > DEFICIT_TOLERANCE_KG
                          for w, sc in zip(weights, by_scenario)),
        "cost_optimal_strategic_stock_kg": float(optimal[0]),
        "cost_curve": cost_curve([p.deepest[0] for p in paths], weights, overage, underage,
                                 float(optimal[0])).tolist(),
        "target_by_month": target.tolist(),
        "fan_kg": np.stack(fan, axis=1).tolist(),
        "ci95_by_month_kg": np.stack([ci_low, ci_high], axis=1).tolist(),
        "price_index_per_kg": price_index.tolist(),
        "buildup": plan,
        "by_scenario": by_scenario,
    }


def recommend(project):
    """The recommendation of every material (MODEL.md), as plain dicts."""
    n = project["paths"]
    horizon = project["horizon_months"]
    rng = np.random.default_rng(project["seed"])
    total = sum(s["probability"] for s in project["scenarios"])
    weights = [s["probability"] / total for s in project["scenarios"]]
    demand_units = demand_noise(rng, project["products"], np.arange(horizon, dtype=float), n)
    realised = [
        [realise(rng, event, project["start"], horizon, n) for event in scenario["events"]]
        for scenario in project["scenarios"]
    ]
    return [
        material_figures(project, material, demand_units, realised, weights)
        for material in project["materials"]
    ]


# ------------------------------------------------------------------- MODEL.md's checks


def check_project(events, materials=None, rebuild=False, start="2026-01", scenarios=None, **material):
    """A check's project as MODEL.md states it: 24 months, one product of 100 kg a month
    (cv 0), safety stock 0; one scenario with `events` unless `scenarios` are given."""
    def event(start_month, duration, cut, delay=0.0):
        return {"Once": {
            "name": start_month, "materials": "All", "end_uses": "All",
            "start": {"Fixed": start_month},
            "duration_months": duration if isinstance(duration, dict) else {"Fixed": duration},
            "supply_cut": {"Fixed": cut}, "licence_delay_days": {"Fixed": delay},
            "price_multiplier": 1.0, "probability": 1.0,
        }}
    defaults = {"carrying_cost_per_year": 0.2, "on_hand_kg": 0.0, "exposed_share": 0.9,
                "lead_time_days": 0.0, "lead_time_sd_days": 0.0, "max_purchase_kg_per_month": None,
                "direct_kg_per_month": 0.0, "alternatives": [], "price_per_kg": 75.0}
    materials = materials or [{"id": "m"}]
    materials = [{**defaults, **material, **m} for m in materials]
    if scenarios is None:
        scenarios = [(1.0, events)]
    return {
        "start": start, "horizon_months": 24, "service_level": {"Fixed": 0.95}, "paths": 100,
        "seed": 42, "shortage_cost_per_kg": None, "rebuild_after_disruption": rebuild,
        "materials": materials,
        "products": [{"id": "motor", "units_per_month": 100.0, "growth_per_year": 0.0,
                      "demand_cv": 0.0, "end_use": "Civil", "margin_per_unit": 0.0,
                      "bill_of_materials": {m["id"]: 1.0 for m in materials}}],
        "scenarios": [{"id": f"s{i}", "probability": w, "events": [event(*e) for e in evs]}
                      for i, (w, evs) in enumerate(scenarios)],
    }


def alternative(starts):
    return {"name": "alt", "capacity_kg_per_month": 50.0, "qualification_months": 2.0,
            "price_premium": 0.3, "qualification_starts": starts}


def checks():
    """(what, computed, expected) for MODEL.md's checks that involve no randomness."""
    cut = [("2026-04", 6.0, 1.0)]
    stops = [("2027-02", 3.0, 1.0), ("2027-10", 3.0, 1.0)]
    squeeze = [("2027-02", 12.0, 0.5), ("2027-10", 4.0, 1.0)]
    check6 = dict(start="2026-12", exposed_share=1.0)
    check9 = dict(start="2026-12", exposed_share=1.0, alternatives=[
        {**alternative("AtFirstLoss"), "capacity_kg_per_month": 60.0}])
    one = lambda project: recommend(project)[0]  # noqa: E731
    first = one(check_project(cut))
    calm_and_cut = check_project(None, scenarios=[(0.3, cut), (0.7, [])])
    calm_at_60 = {**calm_and_cut, "service_level": {"Fixed": 0.6}}
    rows = [
        ("check 1: buffer at month 0", first["strategic_buffer_kg"], 540.0),
        ("check 1: at month 6", first["target_by_month"][6], 270.0),
        ("check 1: at month 9", first["target_by_month"][9], 0.0),
        ("check 2", one(check_project([("2026-04", 6.0, 0.5, 45.0)]))["strategic_buffer_kg"], 337.5),
        ("check 3 at 0.95", one(calm_and_cut)["strategic_buffer_kg"], 540.0),
        ("check 3 at 0.6", one(calm_at_60)["strategic_buffer_kg"], 0.0),
        ("check 6 without rebuild", one(check_project(stops, **check6))["strategic_buffer_kg"], 600.0),
        ("check 6 uncapped", one(check_project(stops, rebuild=True, **check6))["strategic_buffer_kg"], 300.0),
    ]
    capped = one(check_project(stops, rebuild=True, max_purchase_kg_per_month=50.0, **check6))
    slow = one(check_project(stops, rebuild=True, max_purchase_kg_per_month=50.0,
                             lead_time_days=60.0, **check6))
    runout = one(check_project(stops, rebuild=True, max_purchase_kg_per_month=50.0,
                               on_hand_kg=320.0, **check6))
    rows += [
        ("check 6 capped", capped["strategic_buffer_kg"], 350.0),
        ("check 6 capped, 60-day lead time", slow["strategic_buffer_kg"], 450.0),
        ("check 6 run-out month with 320 kg", runout["by_scenario"][0]["run_out_month_median"], 12),
        ("check 7 at first loss",
         one(check_project(cut, alternatives=[alternative("AtFirstLoss")]))["strategic_buffer_kg"], 340.0),
        ("check 7 at plan start",
         one(check_project(cut, alternatives=[alternative("AtPlanStart")]))["strategic_buffer_kg"], 240.0),
        ("check 9 uncapped", one(check_project(squeeze, rebuild=True, **check9))["strategic_buffer_kg"], 200.0),
        ("check 9 capped", one(check_project(squeeze, rebuild=True, max_purchase_kg_per_month=5.0,
                                             **check9))["strategic_buffer_kg"], 230.0),
        ("check 9 without rebuild", one(check_project(squeeze, **check9))["strategic_buffer_kg"], 260.0),
    ]
    safety = check_project([], lead_time_days=60.0)
    safety["products"][0].update(units_per_month=1000.0, demand_cv=0.2)
    rows.append(("check 5: stockout probability", one(safety)["stockout_probability_at_on_hand"], 0.0))
    return rows


def approximate_checks():
    """(what, computed, expected, tolerance) for checks 4 and 5."""
    # Check 4: a Uniform(2, 10) duration gives 960 kg, within 3 kg at 100,000 paths.
    uncertain = check_project([("2026-04", {"Uniform": [2.0, 10.0]}, 1.0)], exposed_share=1.0)
    uncertain["paths"] = 100_000
    # Check 5: Dbar 1000 kg, sigma_D 200 kg (cv 0.2), L 2 months -> 1.644854 * 200 * sqrt(2).
    safety = check_project([], lead_time_days=60.0)
    safety["products"][0].update(units_per_month=1000.0, demand_cv=0.2)
    return [
        ("check 4 at 100,000 paths", recommend(uncertain)[0]["strategic_buffer_kg"], 960.0, 3.0),
        ("check 5: safety stock", recommend(safety)[0]["safety_stock_kg"], 465.235, 0.05),
    ]


def run_checks():
    failed = 0
    exact = [(what, computed, expected, 1e-9) for what, computed, expected in checks()]
    for what, computed, expected, tolerance in exact + approximate_checks():
        ok = computed == expected if isinstance(expected, int) else abs(computed - expected) <= tolerance
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {what}: {computed} (expected {expected})")
    print(f"{failed} of the checks failed" if failed else "every check gives MODEL.md's figure")
    return 1 if failed else 0


# ---------------------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", nargs="?", help="the project as JSON")
    parser.add_argument("--json", action="store_true", help="print timings and figures as JSON")
    parser.add_argument("--check", action="store_true", help="run MODEL.md's exact checks")
    parser.add_argument("--spawned-at-ns", type=int,
                        help="when the caller started this process (Unix ns), to time the interpreter's start")
    args = parser.parse_args()
    if args.check:
        return run_checks()
    if args.project is None:
        parser.error("give a project file (JSON) or --check")
    started = time.perf_counter()
    with open(args.project, encoding="utf-8") as file:
        project = json.load(file)
    load_ms = (time.perf_counter() - started) * 1000.0
    started = time.perf_counter()
    materials = recommend(project)
    compute_ms = (time.perf_counter() - started) * 1000.0
    if args.json:
        startup_ms = (STARTED_NS - args.spawned_at_ns) / 1e6 if args.spawned_at_ns else None
        print(json.dumps({"startup_ms": startup_ms, "import_ms": IMPORT_MS, "load_ms": load_ms,
                          "compute_ms": compute_ms, "materials": materials}))
    else:
        for m in materials:
            print(f"{m['id']}: safety stock {m['safety_stock_kg']:.1f} kg + strategic buffer "
                  f"{m['strategic_buffer_kg']:.1f} kg = recommended {m['recommended_stock_kg']:.1f} kg")
        print(f"numpy import {IMPORT_MS:.1f} ms, compute {compute_ms:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
