"""Sellers: who uses the bot, their languages and settings, and the answer the bot awaits."""
