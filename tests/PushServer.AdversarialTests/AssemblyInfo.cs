// The meters the tests read are process-wide, and every test checks that the server's counts return to zero after
// its bad input: one test at a time keeps each test's counts its own.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
