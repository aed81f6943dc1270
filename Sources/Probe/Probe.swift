// The Probe target; see Package.swift for where it sits.
