"""The GitHub Action's side of hfmap: the workflow environment, the REST API, the PR comment and the flows.

`action.yml` only installs hfmap and calls `hfmap action run`; everything it does is here, in Python, so it
can be tested against local emulators of the Hub and of GitHub.
"""
