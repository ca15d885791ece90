"""The cost of flushed commits: median and p99 latency of small write transactions (one node
updated, one created), committed one by one, on two ArcadeDB servers started alike but for
`-Darcadedb.txWalFlush` (0 on the first, 2 on the second). Three runs, interleaved.

    .tools/venv/bin/python tools/bench_commits.py http://127.0.0.1:2480 bolt://127.0.0.1:7687 \
        http://127.0.0.1:2481 bolt://127.0.0.1:7688
"""
import os, sys, time, uuid, statistics, requests
from neo4j import GraphDatabase
# The root password of both servers (`make` exports it; see scripts/root-password.sh).
PASSWORD = os.environ["GREENPOINTS_GRAPH_PASSWORD"]
def bench(http, bolt, n=400):
    db = "w" + uuid.uuid4().hex[:8]
    requests.post(f"{http}/api/v1/server", auth=("root", PASSWORD), json={"command": f"create database {db}"}).raise_for_status()
    d = GraphDatabase.driver(bolt, auth=("root", PASSWORD))
    s = d.session(database=db)
    s.run("CREATE (m:M {k: 1, v: 0})").consume()
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        with s.begin_transaction() as t:
            t.run("MATCH (m:M {k: 1}) SET m.v = m.v + 1").consume()
            t.run("CREATE (:O {i: $i})", i=i).consume()
            t.commit()
        times.append((time.perf_counter() - t0) * 1000)
    d.close()
    requests.post(f"{http}/api/v1/server", auth=("root", PASSWORD), json={"command": f"drop database {db}"})
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99)]
unflushed_http, unflushed_bolt, flushed_http, flushed_bolt = sys.argv[1:5]
for run in range(3):
    a = bench(unflushed_http, unflushed_bolt)
    b = bench(flushed_http, flushed_bolt)
    print(f"run {run}: txWalFlush=0 median {a[0]:.2f} ms p99 {a[1]:.2f} ms | txWalFlush=2 median {b[0]:.2f} ms p99 {b[1]:.2f} ms | ratio {b[0]/a[0]:.2f}")
