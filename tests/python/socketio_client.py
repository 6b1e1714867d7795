"""Drives python-socketio's client against a server, reporting JSON lines on stdout.

Arguments: URL, CA_FILE (PEM; the client trusts it for https and wss), TRANSPORTS (e.g. "websocket" or "polling").
Events: connect {transport, sid}, event {name, args}, connect_error {message}, disconnect, fatal {message}.
The client stays connected until stdin ends.
"""
import json
import sys

import requests
import socketio


def report(event):
    print(json.dumps(event), flush=True)


def main():
    url, ca_file, transports = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    session = requests.Session()
    # engine.io's client uses this session for polling and takes its verify path for the WebSocket too.
    session.verify = ca_file
    # Otherwise REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE, when set, would replace that CA for polling requests.
    session.trust_env = False
    client = socketio.Client(http_session=session, reconnection=False)

    @client.event
    def connect():
        report({"event": "connect", "transport": client.transport(), "sid": client.sid})

    @client.event
    def connect_error(data):
        report({"event": "connect_error", "message": str(data)})

    @client.event
    def disconnect():
        report({"event": "disconnect"})

    @client.on("*")
    def any_event(name, *args):
        report({"event": "event", "name": name, "args": list(args)})

    try:
        client.connect(url, transports=transports)
    except Exception as error:  # the test reads the reason
        report({"event": "fatal", "message": repr(error)})
        return 1
    sys.stdin.read()
    client.disconnect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
