#!/usr/bin/env python3
"""Writes the decks' diagrams, slides/img/*.svg (plain SVG, no dependency).

Run it after changing a drawing: python3 slides/tools/diagrams.py
The SVG files are committed; the deck build only copies them.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from svgkit import C, Svg  # noqa: E402

IMG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "img")
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def process_cluster():
    s = Svg(1100, 470)
    s.box(30, 190, 170, 80, C["acc"], C["accs"], "acceptor\n(accept4, fork)", 18, bold=True)
    s.text(115, 295, "never talks to a client", 14, "middle", italic=True)
    for i, y in enumerate([40, 190, 340]):
        n = i + 1
        s.box(300, y - 10, 620, 100, "#f7fbff", C["recvs"], "", dash=True, sw=2)
        s.text(310, y + 8, f"process cluster of client {n}", 14, color=C["recvs"])
        s.box(330, y + 18, 220, 60, C["recv"], C["recvs"], f"RECV {n}\nkey, lines -> log", 16)
        s.box(660, y + 18, 220, 60, C["send"], C["sends"], f"SEND {n}\nlog -> client", 16)
        s.arrow(550, y + 48, 658, y + 48, "#444", "fork", 14)
        s.arrow(200, 230, 328, y + 48, C["accs"], "")
        s.arrow(1020, y + 48, 882, y + 48, "#666", "")
        s.box(960, y + 28, 120, 40, "#ffffff", "#888", f"client {n}", 15)
    s.text(262, 210, "fork", 14, "middle", color=C["accs"])
    s.box(30, 360, 200, 80, C["anc"], C["ancs"], "anchor\n(idle, leads the\nSEND group)", 15)
    s.line(230, 400, 300, 400, C["sends"], 2, dash=True)
    s.text(30, 462, "SEND 1..3 are in the anchor's process group: kill(-pgid, SIGUSR1) reaches them only", 15, color=C["sends"])
    s.write(os.path.join(IMG, "process-cluster.svg"), "papayad's processes: acceptor, anchor, RECV and SEND per client")


def go_scheduler():
    s = Svg(1100, 500)
    s.text(30, 34, "Go runtime (user space, one process)", 20, bold=True)
    s.box(20, 50, 1060, 330, "#fafafa", "#999", "", r=14)
    s.text(40, 84, "global run queue", 16)
    for i in range(5):
        s.circle(220 + i * 40, 78, 15, C["y"], C["ys"], "g")
    for k, x in enumerate([60, 420]):
        s.box(x, 120, 300, 60, C["blue"], C["blues"], f"P{k} (context)", 17, bold=True)
        s.text(x, 205, "local queue:", 15)
        for i in range(4):
            s.circle(x + 120 + i * 38, 200, 14, C["y"], C["ys"], "g")
        s.box(x + 60, 240, 180, 50, C["g"], C["gs"], f"M{k}: OS thread", 16)
        s.circle(x + 270, 265, 16, C["g"], C["gs"], "g")
        s.text(x + 150, 310, "running one goroutine", 14, "middle", italic=True)
        s.arrow(x + 100, 180, x + 100, 238, C["blues"])
    s.box(800, 120, 260, 70, C["blue"], C["blues"], "netpoller\n(epoll: who can read?)", 16)
    s.box(800, 230, 120, 50, C["y"], C["ys"], "M2 idle", 15)
    s.box(940, 230, 120, 50, C["warn"], C["warns"], "M3 in a\nblocking syscall", 13)
    s.text(40, 360, "A goroutine that would block on a socket is parked; the netpoller makes it runnable again.", 15)
    s.text(30, 420, "Kernel: sees 4-5 threads, never the goroutines. Switching goroutines = a few instructions in user space.", 16)
    s.text(30, 450, "Redrawn after the paper's figure 1 (section II-B): goroutines are circles, OS threads rectangles,", 14, color="#666")
    s.text(30, 472, "running green, waiting yellow, contexts and the netpoller blue.", 14, color="#666")
    s.write(os.path.join(IMG, "go-scheduler.svg"), "The Go scheduler: goroutines on contexts on OS threads")


def signal_fanout():
    s = Svg(1100, 470)
    s.box(30, 20, 200, 70, C["recv"], C["recvs"], "RECV 2\nread a line", 17)
    s.box(470, 20, 240, 70, "#fff", "#555", "chat.log\n(O_APPEND)", 17)
    s.arrow(232, 55, 468, 55, C["recvs"], "1. flock EX, write, unlock", 14, ly=45)
    s.arrow(130, 90, 130, 143, C["accs"])
    s.text(142, 125, "2. kill(-pgid, SIGUSR1): one system call", 15, color=C["accs"])
    s.box(30, 145, 1040, 44, "#fff7f2", C["accs"], "kernel: SIGUSR1 to every process of the anchor's group", 16)
    s.box(30, 215, 1040, 175, "#f3fbf0", C["sends"], "", dash=True)
    for i in range(4):
        x = 60 + i * 250
        s.box(x, 232, 210, 118, C["send"], C["sends"], "", 15)
        s.text(x + 105, 258, f"SEND {i + 1}", 17, "middle", bold=True)
        for j, t in enumerate(["sigwaitinfo returns", "flock SH, pread", "write to its client", "to end of log, wait"]):
            s.text(x + 105, 282 + j * 18, t, 14, "middle")
        s.arrow(x + 105, 189, x + 105, 230, C["accs"])
    s.text(45, 378, "the anchor's process group: every SEND process, and the anchor (which ignores SIGUSR1)", 14, color=C["sends"])
    s.text(30, 420, "Signals of one kind do not queue: 10 SIGUSR1 to a busy SEND arrive as 1.", 16, color=C["warns"])
    s.text(30, 446, "So every wakeup sends everything up to the end of the log -- never 'one message per signal'.", 16)
    s.write(os.path.join(IMG, "signal-fanout.svg"), "Multicast: one kill() to the SEND process group")


def flock_protocol():
    s = Svg(1100, 480)
    s.text(30, 30, "Time runs left to right", 15, color="#666")
    rows = [("RECV 1", C["recv"], C["recvs"]), ("RECV 2", C["recv"], C["recvs"]), ("SEND 1", C["send"], C["sends"]), ("SEND 2", C["send"], C["sends"])]
    for i, (n, f, st) in enumerate(rows):
        y = 60 + i * 70
        s.text(30, y + 30, n, 17, bold=True)
        s.line(120, y + 25, 1070, y + 25, "#ccc", 1)
    s.box(140, 65, 220, 40, C["warn"], C["warns"], "LOCK_EX: write(line)", 14)
    s.box(140, 135, 220, 40, "#eee", "#999", "flock blocks", 14, dash=True)
    s.box(360, 135, 220, 40, C["warn"], C["warns"], "LOCK_EX: write(line)", 14)
    s.box(600, 205, 220, 40, C["g"], C["gs"], "LOCK_SH: pread", 14)
    s.box(630, 275, 220, 40, C["g"], C["gs"], "LOCK_SH: pread", 14)
    s.box(140, 205, 440, 40, "#eee", "#999", "waits for SIGUSR1 (or for the EX lock)", 14, dash=True)
    s.text(860, 240, "readers share", 15, color=C["gs"])
    s.line(30, 345, 1070, 345, "#999", 1)
    s.text(30, 375, "The lock belongs to the open file description, not the process:", 17, bold=True)
    s.box(30, 390, 500, 70, C["warn"], C["warns"], "open() once, then fork(): every child shares\none description = one lock = no exclusion (original bug)", 15)
    s.box(570, 390, 500, 70, C["g"], C["gs"], "every process open()s the log itself:\nits own description, its own lock (papayad)", 15)
    s.write(os.path.join(IMG, "flock-protocol.svg"), "The flock protocol of the chat log")


def blocking_echo():
    s = Svg(1100, 400)
    s.box(30, 150, 200, 90, C["acc"], C["accs"], "the server\n(one process)", 18, bold=True)
    s.box(420, 60, 230, 70, "#fff", "#888", "client A: served", 17)
    s.arrow(232, 180, 418, 100, C["accs"], "read / write", 15)
    s.box(300, 250, 360, 110, "#f5f5f5", "#888", "", dash=True)
    s.text(315, 275, "listen backlog (in the kernel)", 15, color="#555")
    s.box(330, 290, 140, 50, C["y"], C["ys"], "client B", 16)
    s.box(490, 290, 140, 50, C["y"], C["ys"], "client C", 16)
    s.box(760, 260, 310, 90, "#fff", "#888", "B's connect() succeeded,\nits bytes wait in its socket:\nno echo until A leaves", 15)
    s.arrow(758, 305, 632, 315, "#888")
    s.text(30, 40, "Stage 0: an iterative server. The kernel completes the TCP handshake; accept() happens later.", 17)
    s.write(os.path.join(IMG, "blocking-echo.svg"), "Stage 0: one client at a time, the rest queue in the backlog")


def fork_per_client():
    s = Svg(1100, 450)
    s.box(30, 160, 210, 100, C["acc"], C["accs"], "acceptor\nppoll + accept4\nwaitpid(WNOHANG)", 16)
    for i, y in enumerate([30, 160, 290]):
        s.box(430, y, 260, 70, C["recv"], C["recvs"], f"child {i + 1}: echo_until_eof\nthen _exit()", 15)
        s.arrow(242, 210, 428, y + 35, C["accs"])
        s.box(900, y + 12, 150, 46, "#fff", "#888", f"client {i + 1}", 15)
        s.arrow(898, y + 35, 692, y + 35, "#666")
    s.text(290, 105, "fork()", 15, color=C["accs"])
    s.arrow(470, 362, 244, 258, C["warns"], "", dash=True)
    s.text(250, 330, "SIGCHLD", 15, color=C["warns"])
    s.box(430, 385, 380, 52, C["warn"], C["warns"], "exited, not yet reaped: a zombie (<defunct>)", 15)
    s.write(os.path.join(IMG, "fork-per-client.svg"), "Stage 1: one process per client")


def auth_and_drop():
    s = Svg(1100, 430)
    steps = [("as root", "open chat.log\nread key file", C["acc"], C["accs"]), ("as root", "bind + listen\nport < 1024 ok", C["acc"], C["accs"]),
             ("drop", "setgroups(0)\nsetgid, setuid", C["warn"], C["warns"]), ("as nobody", "accept, fork,\nserve clients", C["g"], C["gs"])]
    for i, (h, t, f, st) in enumerate(steps):
        x = 30 + i * 270
        s.text(x + 110, 40, h, 16, "middle", bold=True, color=st)
        s.box(x, 55, 220, 80, f, st, t, 16)
        if i < 3:
            s.arrow(x + 222, 95, x + 268, 95, "#444")
    s.text(30, 190, "The key: 128 bytes, however TCP cuts them, within ONE deadline", 18, bold=True)
    segs = [(0, 40), (40, 90), (90, 128)]
    for k, (a, b) in enumerate(segs):
        x = 30 + a * 7.5
        s.box(x, 210, (b - a) * 7.5 - 4, 46, C["y"], C["ys"], f"read() #{k + 1}: {b - a} bytes", 14, r=4)
    s.line(30, 275, 990, 275, "#444", 2)
    s.text(30, 298, "0", 14)
    s.text(990, 298, "128", 14, "middle")
    s.text(30, 340, "read_some_until(deadline) until 128 bytes; then compare EVERY byte (no early exit):", 16)
    s.text(30, 368, "a strncmp() that stops at the first difference tells a timing attacker how much was right.", 16)
    s.text(30, 400, "Wrong key, short key or timeout: close, no reply, nothing in the chat log, one line in the server's log.", 15, color="#666")
    s.write(os.path.join(IMG, "auth-and-drop.svg"), "Stage 4: start-up order and the key handshake")


def dual_stack():
    s = Svg(1100, 430)
    s.box(30, 40, 300, 80, C["recv"], C["recvs"], "socket(AF_INET6)\nbind([::]:7722)", 17)
    s.box(420, 20, 300, 50, C["g"], C["gs"], "IPV6_V6ONLY = 0", 17)
    s.box(420, 95, 300, 50, C["warn"], C["warns"], "IPV6_V6ONLY = 1", 17)
    s.arrow(332, 70, 418, 45, C["gs"])
    s.arrow(332, 90, 418, 120, C["warns"])
    s.text(740, 40, "[::1] ok, 127.0.0.1 ok", 16, color=C["gs"])
    s.text(740, 62, "(IPv4 peers appear as ::ffff:127.0.0.1)", 14, color="#555")
    s.text(740, 125, "[::1] ok, 127.0.0.1 refused", 16, color=C["warns"])
    s.text(30, 185, "Not set explicitly = the system's default: sysctl net.ipv6.bindv6only", 17, bold=True)
    s.text(30, 212, "Linux: 0 by default (some distributions/hosts set 1); FreeBSD: 1 -- the paper's 'IPv6 only' surprise.", 15)
    s.line(30, 240, 1070, 240, "#bbb", 1)
    s.text(30, 275, "The second bug: a handler that uninstalls itself", 17, bold=True)
    ev = [("SIGUSR1 #1", "handler runs;\nSA_RESETHAND: back to SIG_DFL", C["y"], C["ys"]), ("SIGUSR1 #2", "default action:\nterminate the process", C["warn"], C["warns"])]
    for i, (h, t, f, st) in enumerate(ev):
        x = 30 + i * 440
        s.text(x, 305, h, 15, bold=True)
        s.box(x, 315, 380, 70, f, st, t, 15)
    s.arrow(412, 350, 468, 350, "#444")
    s.text(30, 415, "struct sigaction sa; (not initialised) -> sa_flags holds stack garbage; zero it: struct sigaction sa{};", 15, mono=False)
    s.write(os.path.join(IMG, "dual-stack.svg"), "Stage 5: the dual-stack listener and the self-resetting handler")


def dispositions():
    # Lab 5's lecture (before the lab): the general picture only, no planted bug.
    s = Svg(1100, 440)
    s.text(30, 32, "Each signal has one disposition per process", 19, bold=True)
    kinds = [("default (SIG_DFL)", "the kernel's action:\nSIGTERM, SIGUSR1 terminate", C["anc"], C["ancs"]),
             ("ignored (SIG_IGN)", "the signal is discarded", C["g"], C["gs"]),
             ("caught (a handler)", "the handler runs,\nthen the process goes on", C["blue"], C["blues"])]
    for i, (head, body, fill, stroke) in enumerate(kinds):
        x = 30 + i * 360
        s.box(x, 50, 330, 40, fill, stroke, head, 18, bold=True)
        s.box(x, 96, 330, 64, "#fff", stroke, body, 16)
    s.box(30, 190, 510, 90, C["recv"], C["recvs"], "fork(): the child gets a copy of\nevery disposition, and the blocked mask", 17)
    s.box(560, 190, 510, 90, C["y"], C["ys"], "execve(): caught -> back to default (the handler\nis gone); ignored stays ignored; mask kept", 17)
    s.text(30, 318, "Read them in /proc/PID/status: hexadecimal masks, bit n-1 for signal n", 18, bold=True)
    rows = [("SigBlk: 0000000000000000", "blocked: none"),
            ("SigIgn: 0000000000001000", "ignored: bit 12 = signal 13, SIGPIPE"),
            ("SigCgt: 0000000000004000", "caught: bit 14 = signal 15, SIGTERM")]
    for j, (line, what) in enumerate(rows):
        y = 350 + j * 30
        s.text(50, y, line, 17, mono=True)
        s.text(390, y, what, 16, color="#555")
    s.write(os.path.join(IMG, "dispositions.svg"), "Signal dispositions: default, ignored, caught; fork and execve; /proc")


def daemon():
    s = Svg(1100, 480)
    s.box(30, 30, 260, 70, C["acc"], C["accs"], "papayad --daemon\n(the original process)", 16)
    s.box(400, 140, 220, 70, C["recv"], C["recvs"], "child 1\nsetsid()", 16)
    s.box(740, 250, 320, 90, C["g"], C["gs"], "child 2 = the daemon\nchdir /, listen, pidfile,\nprints READY, writes 'R'", 15)
    s.arrow(180, 100, 398, 165, "#444")
    s.text(250, 150, "fork", 15)
    s.arrow(620, 185, 738, 275, "#444")
    s.text(690, 215, "fork", 15)
    s.box(400, 250, 240, 56, "#f5f5f5", "#888", "exits at once, so the daemon\nis not a session leader", 14, dash=True)
    s.arrow(510, 210, 510, 248, "#888")
    s.poly_arrow([(900, 340), (900, 390), (110, 390), (110, 102)], C["gs"], dash=True)
    s.text(480, 380, "the READY byte, through a pipe", 15, color=C["gs"])
    s.box(30, 410, 700, 56, "#fff", "#888", "the original process exits 0 only once 'R' arrived:\n`papayad --daemon && papaya ...` never races the port", 15)
    s.write(os.path.join(IMG, "daemon.svg"), "Stage 6: becoming a daemon")


def two_lines(slug):
    """A stage's slug as a box label: its words on two lines of similar length."""
    words = [w.upper() if w.startswith("sig") else w for w in slug.split("-")]  # signal names
    cut = min(range(1, len(words) + 1), key=lambda k: abs(len(" ".join(words[:k])) - len(" ".join(words[k:]))))
    return " ".join(words[:cut]) + "\n" + " ".join(words[cut:])


def course_map():
    s = Svg(1200, 360)
    with open(os.path.join(ROOT, "labs", "stages.json"), encoding="utf-8") as f:
        stages = json.load(f)["stages"]
    step = 1150 // len(stages)
    for i, stage in enumerate(stages):
        x = 20 + i * step
        last = i == len(stages) - 1
        fill = C["acc"] if last else C["send"] if stage["features"]["multicast"] else C["recv"]
        s.box(x, 60, step - 28, 110, fill, "#555", "", 15)
        s.text(x + (step - 28) // 2, 92, f"Lab {i}", 18, "middle", bold=True)
        for j, line in enumerate(two_lines(stage["slug"]).split("\n")):
            s.text(x + (step - 28) // 2, 122 + j * 20, line, 15, "middle")
        if not last:
            s.arrow(x + step - 26, 115, x + step - 2, 115, "#444", sw=2)
    s.text(20, 36, f"One server, {len(stages)} labs; every lab graded cumulatively, every lab measured against goref", 17)
    s.box(20, 210, 1150, 120, "#fafafa", "#999", "", dash=True)
    s.text(40, 240, "Each lab:", 16, bold=True)
    s.text(40, 270, "1. lecture (these slides, a live demo)   2. labs/NN-slug/README.md   3. tools/course start: edit labs/server/*.cpp", 15)
    s.text(40, 300, "4. tools/course grade N (labs 0..N)   5. tools/course compare N: your server against goref --stage N", 15)
    s.write(os.path.join(IMG, "course-map.svg"), "The course map")


if __name__ == "__main__":
    os.makedirs(IMG, exist_ok=True)
    for f in (process_cluster, go_scheduler, signal_fanout, flock_protocol, blocking_echo, fork_per_client,
              auth_and_drop, dual_stack, dispositions, daemon, course_map):
        f()
    print("wrote", len(os.listdir(IMG)), "diagrams to", os.path.normpath(IMG))
