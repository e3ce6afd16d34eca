"""`python -m tests.fakes.openai --port N`: serve the fake until SIGINT or SIGTERM."""

from tests.fakes.openai.runner import main

if __name__ == "__main__":
    main()
