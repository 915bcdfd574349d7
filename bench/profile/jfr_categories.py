#!/usr/bin/env python3
"""Where the service's CPU samples go, by cost category (issue 8's profile).

Usage: python3 bench/profile/jfr_categories.py SAMPLES.json [SINCE]

SAMPLES.json comes from
  jfr print --json --stack-depth 300 --events jdk.ExecutionSample RECORDING.jfr
(the default depth of 5 frames hides the callers). SINCE, an ISO time such as
2026-11-29T18:36:32, keeps only samples from then on (the measured part of a run).

Each sample is charged to one category: the first frame, walking from the leaf towards the root,
that matches a category below. Jackson and reflection frames match nothing on purpose, so their
time is charged to whoever called them (decoding updates, decoding an answer, the session...).
"""
import collections
import json
import re
import sys

CATEGORIES = [
    ("getUpdates: JSON decode of updates", r"GetUpdates\.deserializeResponse"),
    ("getUpdates: JSON decode of updates", r"BotApiAnswers\.readUpdates"),
    ("sendMessage: answer decode (Message)", r"BotApiAnswers\.(decode|readResult)"),
    ("sendMessage: request JSON encode", r"ObjectMapper\.(valueToTree|writeValueAsBytes)"),
    ("webhook: request handling", r"dev/botrunner/update/WebhookResource"),
    ("SmallRye context propagation", r"io/smallrye/context/"),
    ("ArC request context", r"io/quarkus/arc/"),
    ("MDC / logging", r"org/jboss/logging|org/jboss/logmanager"),
    ("Micrometer", r"micrometer"),
    ("thread hand-off (park/unpark, task queues)",
     r"LockSupport|EnhancedQueueExecutor|SingleThreadEventExecutor\.(execute|wakeup|offerTask)"),
    ("Netty / Vert.x HTTP", r"io/netty/|io/vertx/"),
    ("CompletableFuture", r"java/util/concurrent/CompletableFuture"),
    ("Mutiny operators", r"io/smallrye/mutiny/"),
    ("scheduler", r"dev/botrunner/dispatch/(KeyedSerial|KeyQueue|Scheduled|StartLoop|Distinct)"),
    ("session", r"dev/botrunner/session/"),
    ("botrunner, other", r"dev/botrunner/"),
]


def main():
    events = json.load(open(sys.argv[1]))["recording"]["events"]
    since = sys.argv[2] if len(sys.argv) > 2 else ""
    events = [e for e in events if e["values"]["startTime"] >= since]
    charged = collections.Counter()
    threads = collections.Counter()
    for e in events:
        v = e["values"]
        threads[re.sub(r"[0-9]+", "", v["sampledThread"]["javaName"] or "")] += 1
        frames = [f["method"]["type"]["name"] + "." + f["method"]["name"]
                  for f in v["stackTrace"]["frames"]]
        label = "other (JDK)"
        for frame in frames:
            hit = next((name for name, pattern in CATEGORIES if re.search(pattern, frame)), None)
            if hit:
                label = hit
                break
        # readResult serves both; its caller tells a getUpdates answer from a sendMessage one.
        if label.startswith("sendMessage: answer") and any("readUpdates" in f for f in frames):
            label = "getUpdates: JSON decode of updates"
        charged[label] += 1
    n = max(1, len(events))
    print("samples %d; threads: %s" % (len(events), ", ".join(
        "%s %.0f%%" % (t, 100 * c / n) for t, c in threads.most_common(3))))
    for label, count in charged.most_common():
        print("  %5.1f%%  %s" % (100 * count / n, label))


if __name__ == "__main__":
    main()
