// The Packets target; see Package.swift for where it sits.
