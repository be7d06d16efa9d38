"""The browser chat: source cards (cards.py), one session's conversation (chat.py),
the Gradio page (app.py) and `regioassist serve` (server.py)."""
