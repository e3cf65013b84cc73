# The /docs page's Python verification function (VERIFY_PYTHON in lib/api/openapi/webhook-events.ts),
# verbatim, fed by the tests through stdin.
import base64, json, sys
import hmac, hashlib, time

def verify_sage_webhook(headers, raw_body, secret) -> bool:
    ts = headers.get("x-sage-timestamp")
    sig = headers.get("x-sage-signature", "")
    if not ts or not sig.startswith("sha256="):
        return False
    if abs(time.time() - int(ts)) > 300:
        return False
    mac = hmac.new(
        secret.encode(),
        f"{ts}.{raw_body.decode() if isinstance(raw_body, bytes) else raw_body}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return hmac.compare_digest(mac, sig[7:])

if __name__ == "__main__":
    message = json.load(sys.stdin)
    print(verify_sage_webhook(message["headers"], base64.b64decode(message["raw_body"]), message["secret"]))
