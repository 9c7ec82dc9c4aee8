from worker_client import WorkerClient


def test_shutdown_replies_then_exits_zero(worker: WorkerClient) -> None:
    assert worker.request("shutdown") == {"jsonrpc": "2.0", "id": 1, "result": None}
    assert worker.wait() == 0


def test_end_of_input_exits_zero(worker: WorkerClient) -> None:
    worker.close_stdin()
    assert worker.wait() == 0
    assert "input closed" in worker.stderr


def test_debug_crash_exits_with_the_code_and_says_so_on_stderr(worker: WorkerClient) -> None:
    worker.send({"jsonrpc": "2.0", "id": 1, "method": "debug/crash", "params": {"code": 3}})
    assert worker.wait() == 3
    assert "debug/crash requested, exiting with code 3" in worker.stderr


def test_debug_crash_validates_its_params(worker: WorkerClient) -> None:
    for params in ({}, {"code": "3"}, {"code": 256}, {"code": True}):
        assert worker.request("debug/crash", params)["error"]["code"] == -32602
    assert worker.proc.poll() is None
