"""Builds by several worker processes: the same output, byte for byte, as by one."""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from functools import partial
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, build
from sitegen.parallel import PARALLEL_MIN, Background, fork_map
from sitegen.theme import ThemeError
from sitegen.write import PARALLEL_MIN as WRITE_PARALLEL_MIN
from tests.test_incremental import snapshot

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate_site  # noqa: E402  (the benchmark's realistic site)


def test_workers_do_not_change_the_output(tmp_path, monkeypatch):
    posts = max(PARALLEL_MIN, WRITE_PARALLEL_MIN) + 20  # enough for every parallel stage
    generate_site(tmp_path / "site", posts, seed=3)
    outputs = {}
    for workers in (1, 2, 3):
        monkeypatch.setenv("SITEGEN_WORKERS", str(workers))
        shutil.rmtree(tmp_path / "site" / ".sitegen-cache", ignore_errors=True)
        report = build(BuildOptions(tmp_path / "site", tmp_path / f"out-{workers}"))
        assert report.made == report.files  # a cold build: everything made by the workers
        outputs[workers] = snapshot(tmp_path / f"out-{workers}")
    assert outputs[1] == outputs[2] == outputs[3]
    assert len(outputs[1]) > posts


def test_an_error_in_a_worker_fails_the_build_cleanly(tmp_path, monkeypatch):
    posts = max(PARALLEL_MIN, WRITE_PARALLEL_MIN) + 20
    site = tmp_path / "site"
    generate_site(site, posts, seed=4)
    (site / "templates").mkdir()
    (site / "templates" / "post.html").write_text("{{ post.no_such_field }}\n")
    monkeypatch.setenv("SITEGEN_WORKERS", "2")
    with pytest.raises(ThemeError) as failure:
        build(BuildOptions(site))
    assert "post.html" in str(failure.value) and "no_such_field" in str(failure.value)
    assert not (site / "public").exists()
    assert not any(p.name.endswith(".sitegen-new") for p in site.iterdir())


# ---- fork_map ----------------------------------------------------------------------------------

def _double_with_pid(item: int) -> tuple[int, int]:
    time.sleep(0.002)  # long enough for every process to take pieces
    return item * 2, os.getpid()


@pytest.mark.parametrize("workers", [2, 3])
def test_fork_map_shares_the_items_with_its_copies_and_keeps_their_order(workers):
    items = list(range(300))
    results = fork_map(_double_with_pid, items, workers, pieces_per_worker=8)
    assert [value for value, _ in results] == [2 * i for i in items]
    pids = {pid for _, pid in results}
    assert os.getpid() in pids and len(pids) == workers  # this process takes pieces too


def test_fork_map_items_reach_the_copies_without_pickling():
    items = [threading.Lock() for _ in range(PARALLEL_MIN)]  # a lock cannot be pickled
    results = fork_map(_double_with_pid, list(range(len(items))), 2)
    assert len({pid for _, pid in results}) == 2
    assert fork_map(lambda lock: lock.locked(), items, 2) == [False] * len(items)


def _dies_in_a_copy(mark: str, item: int) -> tuple[int, int]:
    if os.getpid() != _TEST_PROCESS and item % 10 == 7:  # one in every piece
        _publish(mark, str(item))
        os._exit(9)  # killed, say, by the out-of-memory killer
    return _double_with_pid(item)


def test_fork_map_does_the_pieces_of_a_copy_that_died_itself(tmp_path):
    items, mark = list(range(400)), tmp_path / "died.txt"
    results = fork_map(partial(_dies_in_a_copy, str(mark)), items, 2, pieces_per_worker=8)
    assert mark.exists()  # the copy did die, in the middle of its work
    assert [value for value, _ in results] == [2 * i for i in items]
    assert all(pid == _TEST_PROCESS for value, pid in results if value % 20 == 14)


def test_fork_map_without_processes_to_be_had_does_the_work_here(monkeypatch):
    def refused():
        raise BlockingIOError(11, "Resource temporarily unavailable")  # EAGAIN, as fork says

    monkeypatch.setattr(os, "fork", refused)  # root ignores RLIMIT_NPROC: no real way here
    results = fork_map(_double_with_pid, list(range(PARALLEL_MIN)), 3)
    assert results == [(2 * i, os.getpid()) for i in range(PARALLEL_MIN)]


def _fails_on(mark: str, item: int) -> int:
    if os.getpid() == _TEST_PROCESS:  # hold the caller back until a copy has raised
        deadline = time.monotonic() + 10
        while not Path(mark).exists() and time.monotonic() < deadline:
            time.sleep(0.005)
    if item == 250:
        with open(mark, "a") as raisers:
            raisers.write(f"{os.getpid()}\n")
        raise ValueError(f"item {item} is wrong")
    return item


def test_fork_map_error_in_a_copy_shows_in_the_caller_as_raised(tmp_path):
    """A copy raises first; the caller redoes its pieces and raises the error itself."""
    mark = tmp_path / "raised-by.txt"
    with pytest.raises(ValueError, match="item 250 is wrong"):
        fork_map(partial(_fails_on, str(mark)), list(range(400)), 2, pieces_per_worker=16)
    raisers = mark.read_text().split()
    assert raisers[0] != str(_TEST_PROCESS) and raisers[-1] == str(_TEST_PROCESS)


def _sleeps_in_copies(target: str) -> None:
    if os.getpid() == _TEST_PROCESS:
        deadline = time.monotonic() + 10
        while not Path(target).exists():  # a copy is in its piece
            assert time.monotonic() < deadline
            time.sleep(0.02)
        raise RuntimeError("the caller fails")
    _publish(target, str(os.getpid()))
    time.sleep(30)


def test_fork_map_caller_failing_stops_its_copies_at_once(tmp_path):
    target = str(tmp_path / "copy.txt")
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="the caller fails"):
        fork_map(_sleeps_in_copies, [target] * 4, 2, min_items=2, pieces_per_worker=2)
    assert time.monotonic() - started < 10
    assert _gone(int(Path(target).read_text()))


# ---- work going on in the background ---------------------------------------------------------

def _write_pid(target: str) -> None:
    _publish(target, str(os.getpid()))


_TEST_PROCESS = os.getpid()  # a forked copy inherits the value, not the pid


def _publish(target: str, text: str) -> None:
    """Write a file that another process polls for: whole or not at all (a file seen
    between its creation and its write would read empty)."""
    Path(target + ".part").write_text(text)
    os.replace(target + ".part", target)


def _fail(target: str) -> None:
    if os.getpid() != _TEST_PROCESS:
        os._exit(3)  # the forked process dies without finishing
    raise ValueError(f"cannot draw {Path(target).name}")


def _background(function, items, workers=1, warm=None, **options) -> Background:
    work = Background(warm)
    work.run(function, items, workers, **options)
    return work


def test_background_work_is_done_by_another_process_while_the_caller_goes_on(tmp_path):
    targets = [str(tmp_path / f"{n}.txt") for n in range(3)]
    work = _background(_write_pid, targets)
    work.wait()
    pids = {Path(t).read_text() for t in targets}
    assert len(pids) == 1 and pids != {str(os.getpid())}


_warmed: list[int] = []  # in the forked process only


def _warm_and_tell(flag: str) -> None:
    _warmed.append(os.getpid())
    _publish(flag, str(os.getpid()))


def _write_warmed(target: str) -> None:
    _publish(target, f"{os.getpid()} warmed by {_warmed}")


def _ready(warm, flag: Path) -> tuple[Background, int]:
    """A Background warmed by `warm(flag)`, once the warm-up wrote its process's pid there
    (before any work was handed over)."""
    work = Background(partial(warm, str(flag)))
    deadline = time.monotonic() + 10
    while not flag.exists():
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return work, int(flag.read_text())


def test_background_gets_ready_in_its_process_before_the_work_is_known(tmp_path):
    """Forked at once, it warms up while the caller has not decided the work yet; the work
    then runs in that same, warmed, process."""
    target = tmp_path / "work.txt"
    work, pid = _ready(_warm_and_tell, tmp_path / "warm.txt")
    assert pid != os.getpid() and not _warmed
    work.run(_write_warmed, [str(target)], 1)
    work.wait()
    assert target.read_text() == f"{pid} warmed by [{pid}]"


def test_background_cancelled_before_any_work_ends_its_process(tmp_path):
    work, pid = _ready(_warm_and_tell, tmp_path / "warm.txt")
    work.cancel()
    assert _gone(pid)
    work.wait()  # nothing to do


def _warm_slowly(flag: str) -> None:
    _warm_and_tell(flag)
    time.sleep(30)


def test_background_given_no_work_ends_its_process_without_waiting_for_it_to_get_ready(
        tmp_path):
    """A build with no image to draw does not wait for the drawing process's warm-up."""
    work, pid = _ready(_warm_slowly, tmp_path / "warm.txt")
    started = time.monotonic()
    work.run(_write_pid, [], 1)
    work.wait()
    assert time.monotonic() - started < 5 and _gone(pid)


def test_background_told_there_will_be_no_work_forks_nothing(tmp_path):
    """A site drawing no images does not start a process for them; work it is given all
    the same is done at wait(), here."""
    flag, target = tmp_path / "warm.txt", tmp_path / "card.txt"
    work = Background(partial(_warm_and_tell, str(flag)), fork=False)
    work.run(_write_pid, [str(target)], 1)
    time.sleep(0.1)
    assert not flag.exists() and not target.exists()
    work.wait()
    assert target.read_text() == str(os.getpid())


def test_background_work_left_unfinished_is_done_at_wait_where_its_error_shows(tmp_path):
    target = tmp_path / "card.txt"
    work = _background(_fail, [str(target)])
    with pytest.raises(ValueError, match=r"cannot draw card\.txt"):
        work.wait()


def test_with_other_threads_running_the_work_waits_for_wait_in_this_process(tmp_path):
    """A fork copies one thread: a lock another held would stay locked in the copy."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        target = tmp_path / "card.txt"
        work = _background(_write_pid, [str(target)])
        time.sleep(0.1)
        assert not target.exists()
        work.wait()
        assert target.read_text() == str(os.getpid())
    finally:
        stop.set()
        other.join()


def _note_and_sleep(target: str) -> None:
    _publish(target, str(os.getpid()))
    time.sleep(30)


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status  # ended, waiting for whoever reaps orphans


def test_cancelled_background_work_stops_at_once_with_its_workers(tmp_path):
    targets = [str(tmp_path / f"{n}.txt") for n in range(4)]
    work = _background(_note_and_sleep, targets, 2, min_items=2, pieces_per_worker=2)
    deadline = time.monotonic() + 10
    while sum(Path(t).exists() for t in targets) < 2:  # both workers are in their first item
        assert time.monotonic() < deadline
        time.sleep(0.05)
    workers = {int(Path(t).read_text()) for t in targets if Path(t).exists()}
    started = time.monotonic()
    work.cancel()
    work.wait()  # nothing left to do
    assert time.monotonic() - started < 5
    deadline = time.monotonic() + 5
    while not all(_gone(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker outlived the cancelled work"
        time.sleep(0.05)
