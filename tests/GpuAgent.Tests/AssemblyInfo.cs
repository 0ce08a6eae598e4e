// The fake NVML library holds process-wide state, so tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
