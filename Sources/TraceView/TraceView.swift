// The TraceView target; see Package.swift for where it sits.
