"""A small OpenID Connect provider served over real HTTP, standing in for the city's app (我的聊城):
in the tests (tests/accounts/test_cityapp.py) and for trying the sign-in out (`manage.py
demo_cityapp`). Never for production: it signs in whoever types a number.

It serves a discovery document, its JWKS, a token endpoint and a userinfo endpoint on 127.0.0.1 with
keys made when it starts. `authorize()` plays the resident approving the sign-in in the app: it reads
the address Quanmin sent them to and answers with the code and the state the app would send back;
a person uses the page at /authorize instead (a mobile number and a name, then "approve"). The
token endpoint checks what a real provider checks: the client's secret, the code (once), the
redirect URI and the PKCE code verifier against the challenge. `tamper` bends the next ID tokens
(issuer, audience, expiry, nonce, signing key, algorithm) to test that Quanmin refuses them.
"""

import base64
import hashlib
import hmac
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Provider:
    def __init__(self, client_id="quanmin-test", client_secret="s3cret-of-the-client", port=0):
        self.client_id, self.client_secret = client_id, client_secret
        self.key, self.kid = new_key(), "key-1"
        self.codes: dict[str, dict] = {}
        self.userinfo: dict[str, dict] = {}
        self.tamper: dict = {}
        self.auth_methods = ["client_secret_basic"]
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body):
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self):
                path = urlsplit(self.path).path
                if path == "/.well-known/openid-configuration":
                    return self.answer(200, provider.discovery())
                if path == "/jwks":
                    return self.answer(200, provider.jwks())
                if path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in provider.userinfo:
                        return self.answer(401, {"error": "invalid_token"})
                    return self.answer(200, provider.userinfo[token])
                if path == "/authorize":
                    return self.page(provider.approve_page(urlsplit(self.path).query))
                return self.answer(404, {"error": "not_found"})

            def page(self, text):
                raw = text.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_POST(self):
                if urlsplit(self.path).path == "/authorize":  # the person approved on the page
                    form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
                    self.send_response(302)
                    self.send_header("Location", provider.approved(form))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if urlsplit(self.path).path != "/token":
                    return self.answer(404, {"error": "not_found"})
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
                status, body = provider.token(form, self.headers.get("Authorization", ""))
                return self.answer(status, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def discovery(self):
        return {"issuer": self.url, "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token", "jwks_uri": f"{self.url}/jwks",
                "userinfo_endpoint": f"{self.url}/userinfo", "response_types_supported": ["code"],
                "id_token_signing_alg_values_supported": ["RS256"], "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": self.auth_methods}

    def jwks(self):
        numbers = self.key.public_key().public_numbers()
        return {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid,
                          "n": b64(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
                          "e": b64(numbers.e.to_bytes(3, "big"))}]}

    def authorize(self, location: str, sub: str, *, userinfo: dict | None = None, **claims) -> dict:
        """The resident approves in the app: the query the app sends back to the callback."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        assert location.startswith(f"{self.url}/authorize?")
        assert query["response_type"] == "code" and query["client_id"] == self.client_id
        assert query["code_challenge_method"] == "S256" and "openid" in query["scope"].split()
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": query["nonce"], "challenge": query["code_challenge"],
                            "redirect_uri": query["redirect_uri"], "sub": sub, "claims": claims,
                            "userinfo": userinfo}
        return {"code": code, "state": query["state"]}

    def approve_page(self, query: str) -> str:
        """What the app shows the resident: who they are (a demo: typed in) and a button to approve."""
        return ("<!DOCTYPE html><html lang='zh-hans'><meta charset='utf-8'>"
                "<meta name='viewport' content='width=device-width'><title>我的聊城（演示）</title>"
                "<h1>我的聊城（演示）</h1><p>全民健身公共服务平台请求使用您的账号登录，并获取您的手机号和姓名。</p>"
                f"<form method='post' action='/authorize'><input type='hidden' name='query' value='{html.escape(query)}'>"
                "<p><label>手机号 <input name='phone' value='13906350001'></label></p>"
                "<p><label>姓名 <input name='name' value='刘晓燕'></label></p>"
                "<button>同意并登录</button></form></html>")

    def approved(self, form: dict) -> str:
        """The address the app sends the resident back to, once they approved on the page."""
        query = form.get("query", "")
        phone = form.get("phone", "").strip()
        back = self.authorize(f"{self.url}/authorize?{query}", f"demo-{hashlib.sha256(phone.encode()).hexdigest()[:16]}",
                              phone_number=phone, phone_number_verified=True, name=form.get("name", "").strip())
        redirect_uri = self.codes[back["code"]]["redirect_uri"]
        return f"{redirect_uri}?{urlencode(back)}"

    def _client_ok(self, form, authorization: str) -> bool:
        if authorization.startswith("Basic "):
            given = base64.b64decode(authorization[6:]).decode()
            return hmac.compare_digest(given, f"{self.client_id}:{self.client_secret}")
        return form.get("client_id") == self.client_id and form.get("client_secret") == self.client_secret

    def token(self, form: dict, authorization: str):
        if not self._client_ok(form, authorization):
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if grant is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        if b64(hashlib.sha256(verifier.encode()).digest()) != grant["challenge"]:
            return 400, {"error": "invalid_grant"}
        now = int(time.time())
        claims = {"iss": self.url, "sub": grant["sub"], "aud": self.client_id, "iat": now, "exp": now + 300,
                  "nonce": grant["nonce"], **grant["claims"]}
        for name in ("iss", "aud", "exp", "nonce"):
            if name in self.tamper:
                claims[name] = self.tamper[name]
        access = secrets.token_urlsafe(16)
        self.userinfo[access] = {"sub": grant["sub"], **(grant["userinfo"] or {})}
        return 200, {"access_token": access, "token_type": "Bearer", "expires_in": 300,
                     "id_token": self.id_token(claims)}

    def id_token(self, claims: dict) -> str:
        alg = self.tamper.get("alg", "RS256")
        header = {"alg": alg, "typ": "JWT", "kid": self.kid}
        signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
        if alg == "none":
            return signing_input + "."
        if alg == "HS256":  # the old confusion attack: the public key used as an HMAC secret
            secret = self.key.public_key().public_bytes(serialization.Encoding.PEM,
                                                        serialization.PublicFormat.SubjectPublicKeyInfo)
            return signing_input + "." + b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())
        key = self.tamper.get("key", self.key)
        return signing_input + "." + b64(key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256()))
