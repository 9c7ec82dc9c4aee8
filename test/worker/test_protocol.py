from worker_client import WorkerClient, frame


def test_unknown_method_is_method_not_found(worker: WorkerClient) -> None:
    response = worker.request("no/such/method", {"x": 1})
    assert response["error"]["code"] == -32601
    assert "no/such/method" in response["error"]["message"]


def test_non_ascii_content_is_framed_by_bytes(worker: WorkerClient) -> None:
    method = "借款金额/😀𠀋"
    response = worker.request(method)
    assert response["error"]["code"] == -32601
    assert method in response["error"]["message"]


def test_unknown_notification_is_ignored(worker: WorkerClient) -> None:
    worker.send({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 99}})
    worker.send({"jsonrpc": "2.0", "method": "no/such/notification"})
    response = worker.request("no/such/method")
    assert response["id"] == 1, "notifications must get no response"


def test_pipelined_requests_are_answered_in_order(worker: WorkerClient) -> None:
    worker.send_raw(b"".join(frame({"jsonrpc": "2.0", "id": i, "method": "nope"}) for i in (10, 11, 12)))
    assert [worker.next_message()["id"] for _ in range(3)] == [10, 11, 12]


def test_header_without_content_length_is_reported_and_skipped(worker: WorkerClient) -> None:
    worker.send_raw(b"Content-Type: application/vscode-jsonrpc\r\n\r\n")
    worker.send_raw(b"this is not a header\r\n\r\n")
    assert worker.request("no/such/method")["error"]["code"] == -32601
    assert worker.wait_for_stderr("malformed message header"), worker.stderr
    assert worker.wait_for_stderr("no valid Content-Length"), worker.stderr


def test_invalid_content_length_is_reported_and_skipped(worker: WorkerClient) -> None:
    worker.send_raw(b"Content-Length: twelve\r\n\r\n")
    assert worker.request("no/such/method")["error"]["code"] == -32601
    assert worker.wait_for_stderr("invalid Content-Length"), worker.stderr


def test_header_names_are_case_insensitive(worker: WorkerClient) -> None:
    body = b'{"jsonrpc":"2.0","id":7,"method":"nope"}'
    worker.send_raw(b"content-type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: %d\r\n\r\n" % len(body) + body)
    assert worker.next_message()["id"] == 7


def test_malformed_json_body_is_a_parse_error(worker: WorkerClient) -> None:
    body = b'{"jsonrpc": "2.0", "id": 1, "method": '
    worker.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    response = worker.next_message()
    assert response["id"] is None and response["error"]["code"] == -32700
    assert worker.wait_for_stderr("malformed message body"), worker.stderr
    assert worker.request("no/such/method")["error"]["code"] == -32601


def test_invalid_requests_get_invalid_request(worker: WorkerClient) -> None:
    worker.send([{"jsonrpc": "2.0", "id": 1, "method": "deviceInfo"}])
    assert worker.next_message()["error"]["code"] == -32600
    worker.send({"jsonrpc": "1.0", "id": 2, "method": "deviceInfo"})
    assert worker.next_message() == {"jsonrpc": "2.0", "id": 2, "error": {"code": -32600, "message": 'Invalid request: jsonrpc must be "2.0"'}}
    worker.send({"jsonrpc": "2.0", "id": 3, "method": 42})
    assert worker.next_message()["error"]["code"] == -32600


def test_truncated_body_then_end_of_input_exits_without_hanging(worker: WorkerClient) -> None:
    worker.send_raw(b'Content-Length: 100\r\n\r\n{"jsonrpc"')
    worker.close_stdin()
    assert worker.wait(timeout=30) == 1
    assert worker.wait_for_stderr("stream ended inside a message body"), worker.stderr


def test_stdout_carries_only_protocol(worker: WorkerClient) -> None:
    # Every byte the worker wrote so far parsed as frames (the client would report otherwise),
    # and its logging went to stderr.
    worker.request("no/such/method")
    worker.close_stdin()
    assert worker.wait() == 0
    assert worker.wait_for_stderr("worker started"), worker.stderr


def test_an_os_error_that_names_no_file_says_where_it_was_raised() -> None:
    # In-process (scripts/run-worker-tests.sh puts the worker package on the path): a handler failing
    # like `import transformers` did in a deleted working directory.
    from finlabel_worker.dispatcher import Dispatcher

    def resolve_in_deleted_folder(_params: object) -> None:
        raise FileNotFoundError(2, "No such file or directory")

    def open_missing(_params: object) -> None:
        open("/no/such/finlabel-file")  # noqa: SIM115

    dispatcher = Dispatcher()
    dispatcher.register("test/nameless", resolve_in_deleted_folder)
    dispatcher.register("test/named", open_missing)
    nameless = dispatcher.handle({"jsonrpc": "2.0", "id": 1, "method": "test/nameless"})["error"]["message"]
    assert nameless.startswith("test/nameless failed: FileNotFoundError: [Errno 2] No such file or directory (an OS error that names no file, raised in ")
    assert "test_protocol.py:" in nameless and "(resolve_in_deleted_folder)" in nameless and "the worker's working directory is " in nameless
    named = dispatcher.handle({"jsonrpc": "2.0", "id": 2, "method": "test/named"})["error"]["message"]
    assert named == "test/named failed: FileNotFoundError: [Errno 2] No such file or directory: '/no/such/finlabel-file'"
