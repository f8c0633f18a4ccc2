"""The network proxy for `wx.request`: registered domains only, public addresses only, pinned."""
