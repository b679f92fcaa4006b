"""The ``network`` check: TCP reachability of the cloud endpoints, optionally through a proxy.

Endpoints come from ``--endpoint`` or, when none is given, from
``[cloud] endpoints`` in amp.conf under the root; the proxy from
``--proxy`` or ``[proxy] url``. Without an endpoint the check is skipped,
because the tool has no built-in address to try. An unreachable endpoint
warns rather than fails: the connector installs and runs, but stays
disconnected until the network lets it through.
"""

from installer.checks.connect import ConnectError, connect_direct, connect_via_proxy
from installer.checks.model import CheckResult, PASS, SKIP, UNKNOWN, WARN, combine_findings
from installer.i18n import _
from installer.parsers.endpoints import (
    EndpointError, format_endpoint, format_proxy, parse_amp_conf, parse_endpoint, parse_proxy_url,
)
from installer.paths import CONFIG_FILE

NAME = "network"


def configured_targets(ctx):
    """Return (endpoint strings, proxy URL or "", where they came from)."""
    if ctx.endpoints:
        return list(ctx.endpoints), ctx.proxy or "", "command line"
    try:
        text = ctx.read_text(CONFIG_FILE)
    except FileNotFoundError:
        return [], ctx.proxy or "", None
    endpoints, proxy = parse_amp_conf(text)
    return endpoints, ctx.proxy or proxy, CONFIG_FILE


def _probe(endpoint, proxy, timeout):
    """Return (status, message, fix) for one endpoint."""
    target = format_endpoint(endpoint)
    try:
        if proxy:
            connect_via_proxy(proxy, endpoint, timeout)
            return PASS, _("{endpoint} is reachable through the proxy {proxy}.").format(
                endpoint=target, proxy=format_proxy(proxy)), None
        connect_direct(endpoint, timeout)
        return PASS, _("{endpoint} is reachable.").format(endpoint=target), None
    except ConnectError as error:
        if proxy:
            message = _("{endpoint} is not reachable through the proxy {proxy}: {error}.").format(
                endpoint=target, proxy=format_proxy(proxy), error=error)
        else:
            message = _("{endpoint} is not reachable: {error}.").format(
                endpoint=target, error=error)
        return (WARN, message,
                _("Allow outbound TCP to {endpoint} in the firewall or proxy; the connector "
                  "stays disconnected until then.").format(endpoint=target))


def check_network(ctx):
    try:
        texts, proxy_text, source = configured_targets(ctx)
        endpoints = [parse_endpoint(text) for text in texts]
        proxy = parse_proxy_url(proxy_text) if proxy_text else None
    except (OSError, UnicodeDecodeError) as error:
        return CheckResult(NAME, UNKNOWN, _("Could not read {path}: {error}.").format(
            path=CONFIG_FILE, error=getattr(error, "strerror", None) or error),
            _("Check that {path} is a readable UTF-8 file.").format(path=CONFIG_FILE))
    except EndpointError as error:
        return CheckResult(NAME, WARN, _("The network settings are invalid: {error}.").format(
            error=error), _("Correct [cloud] endpoints and [proxy] url in {path}, or the "
                            "--endpoint and --proxy options.").format(path=CONFIG_FILE))
    if not endpoints:
        return CheckResult(
            NAME, SKIP,
            _("Skipped: no cloud endpoint is configured or given with --endpoint."),
            facts={"endpoints": []})
    facts = {"endpoints": [format_endpoint(endpoint) for endpoint in endpoints],
             "source": source, "proxy": format_proxy(proxy) if proxy else None,
             "timeout_seconds": ctx.timeout}
    findings = [_probe(endpoint, proxy, ctx.timeout) for endpoint in endpoints]
    return combine_findings(NAME, findings, facts)
