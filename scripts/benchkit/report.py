"""The markdown tables of a run, with the ratios between engines and references."""


def ratio(a, b):
    return round(a / b, 2) if a is not None and b else None


def answers(result):
    """What a scenario's rate is judged by: bookings decided (made or refused for a taken
    seat) for a booking scenario, requests answered otherwise."""
    if "created" in result:
        return result.get("created_per_second", 0) + result.get("conflicts_per_second", 0)
    return result["per_second"]


def side_by_side(title, labels, first, second, note=None):
    """A table of the scenarios two engines both ran, the first's rate over the second's."""
    lines = [f"### {title}", ""] + ([note, ""] if note else [])
    lines += [f"| scenario | {labels[0]} answers/s | {labels[1]} answers/s | ratio | {labels[0]} p99 ms | "
              f"{labels[1]} p99 ms |", "|---|---|---|---|---|---|"]
    for name, result in second.items():
        mine = first.get(name)
        if mine and "p99_ms" in mine and "p99_ms" in result:
            lines.append(f"| {name} | {answers(mine):.0f} | {answers(result):.0f} | "
                         f"{ratio(answers(mine), answers(result))} | {mine['p99_ms']:.2f} | {result['p99_ms']:.2f} |")
    return lines + [""]


def report(summary):
    machine = summary["machine"]
    lines = [f"Marquee benchmark, {summary['when']}: {machine['cores']} cores, {machine['memory_gb']} GB, "
             f"{machine['cpu']}; {summary['seconds']} s per scenario, median of {summary['repeat']} runs.", ""]
    for engine, results in summary["engines"].items():
        health = results.get("health", {}).get("per_second")
        hot_ceiling = max((r["per_second"] for n, r in results.items() if n.startswith("pgbench_hot")), default=None)
        spread_ceiling = results.get("pgbench_spread_64", {}).get("per_second")
        lines += [f"### {engine}", "",
                  "| scenario | requests/s | created/s | conflicts/s | refused/s | p50 ms | p99 ms | vs pgbench | vs /health/live |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for name, result in results.items():
            if name in ("venues_memory", "onsale"):  # told in the notes below
                continue
            if name.startswith("pgbench"):
                lines.append(f"| {name} (database, no HTTP) | {result['per_second']:.0f} | | | | "
                             f"{result['latency_average_ms']:.2f} (avg) | | | |")
                continue
            booking = "created" in result
            ceiling = spread_ceiling if name == "spread" else hot_ceiling
            lines.append(
                f"| {name} | {result['per_second']:.0f} | {result.get('created_per_second', 0):.0f} | "
                f"{result.get('conflicts_per_second', 0):.0f} | {result.get('refused_per_second', 0):.0f} | "
                f"{result['p50_ms']:.2f} | {result['p99_ms']:.2f} | "
                f"{ratio(result['created_per_second'] + result['conflicts_per_second'], ceiling) if booking and ceiling else ''} | "
                f"{'' if booking else (ratio(result['per_second'], health) or '')} |")
        notes = []
        if "peak_resident_mb" in results.get("hot_64", {}):
            notes.append(f"Peak resident memory during the 64-connection hot show: {results['hot_64']['peak_resident_mb']:.0f} MB.")
        if "health_beside_p99_ms" in results.get("hot_256", {}):
            notes.append(f"/health/live beside the 256-connection hot show: p99 {results['hot_256']['health_beside_p99_ms']:.2f} ms.")
        if "best_64" in results and "hot_64" in results:
            answered = lambda r: r.get("created_per_second", 0) + r.get("conflicts_per_second", 0)  # noqa: E731
            notes.append(f"Best available at 64 connections against hot_64 (answers/s): "
                         f"{ratio(answered(results['best_64']), answered(results['hot_64']))}.")
        if "layout" in results and health:
            notes.append(f"Layout of a 20,000-seat plan against /health/live: {ratio(results['layout']['per_second'], health)}"
                         f" gzipped, {ratio(results.get('layout_plain', {}).get('per_second'), health)} without,"
                         f" {ratio(results.get('layout_304', {}).get('per_second'), health)} with If-None-Match.")
        if "venues_memory" in results:
            memory = results["venues_memory"]
            notes.append(f"Resident memory with ten 20,000-seat venues in use: {memory['resident_mb_after']:.0f} MB "
                         f"({memory['resident_mb_after'] - memory['resident_mb_before']:+.0f} MB).")
        if "onsale" in results:
            o = results["onsale"]
            fmt = lambda v, spec: format(v, spec) if v is not None else "n/a"  # noqa: E731
            notes.append(
                f"On-sale (10,000 accounts, 2,000 seats, queue at {o['configured_per_minute']}/min): joins "
                f"{o['joins_before_per_second']:.0f}/s before onSaleAt (p99 {o['joins_before_p99_ms']:.2f} ms) and "
                f"{o['joins_after_per_second']:.0f}/s after (p99 {o['joins_after_p99_ms']:.2f} ms); position polls "
                f"{o['polls_per_second']:.0f}/s (p99 {o['polls_p99_ms']:.2f} ms, {fmt(o['polls_vs_health'], '.2f')} of /health/live); "
                f"admitted {fmt(o['admitted_per_minute'], '.0f')}/min; Kendall's tau of join order and rank "
                f"{fmt(o['tau_pre_queue'], '+.3f')} for the pre-queue, {fmt(o['tau_after_open'], '+.3f')} after the open; "
                f"sold out {fmt(o['sold_out_seconds'], '.1f')} s after onSaleAt, {o['sold_seats']} of {o['seats']} seats "
                f"sold once each to {o['buyers_booked']} buyers; {o['buyer_503s']} answers 503 to admitted buyers.")
        if "sellout" in results:
            notes.append(f"Sell-out: {results['sellout']['sold_seats']:.0f} of 500 seats sold in "
                         f"{results['sellout']['sold_out_seconds']:.2f} s.")
        lines += ["", " ".join(notes), ""]
        costed = [(name, r) for name, r in results.items()
                  if "server_cpu_ms_per_request" in r or "postgres_cpu_ms_per_request" in r]
        if costed:
            lines += ["| scenario | server CPU ms per request | PostgreSQL CPU ms per request |", "|---|---|---|"]
            for name, r in costed:
                cells = [f"{r[key]:.3f}" if key in r else "" for key in
                         ("server_cpu_ms_per_request", "postgres_cpu_ms_per_request")]
                lines.append(f"| {name} | {cells[0]} | {cells[1]} |")
            lines.append("")
    marquee, engines = summary["engines"].get("postgres"), summary["engines"]
    if marquee and "express" in engines:
        lines += side_by_side("Marquee (PostgreSQL) against Express + node-postgres, same database server",
                              ("Marquee", "Express"), marquee, engines["express"])
    if marquee and "pgbouncer" in engines:
        lines += side_by_side("Marquee on PostgreSQL through PgBouncer (transaction mode) against directly",
                              ("through PgBouncer", "direct"), engines["pgbouncer"], marquee)
    if marquee and "replica" in engines:
        shares = summary.get("replica_reads", {})
        total = sum(shares.values())
        lines += side_by_side(
            "Marquee on the primary plus a streaming replica (same machine) against the primary alone",
            ("with the replica", "primary only"), engines["replica"], marquee,
            note=f"The replica served {shares.get('replica', 0):.0f} of {total:.0f} public reads "
                 f"({100 * shares.get('replica', 0) / total if total else 0:.0f}%).")
    if summary.get("pg_test_fsync"):
        lines.append("pg_test_fsync (ops/s): " + ", ".join(f"{k} {v:.0f}" for k, v in summary["pg_test_fsync"].items()))
    return "\n".join(lines)
