// The Markdown target; see Package.swift for where it sits.
import CCmarkGFM
