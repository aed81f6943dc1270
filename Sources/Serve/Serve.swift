// The Serve target; see Package.swift for where it sits.
import Site
