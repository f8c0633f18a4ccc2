"""The WeChat-compatible server API (`/cgi-bin`, `/sns`, `/wxa`): access tokens, the errcode
envelope and per-app quotas. See docs/open-api.md."""
