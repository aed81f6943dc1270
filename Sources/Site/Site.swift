// The Site target; see Package.swift for where it sits.
