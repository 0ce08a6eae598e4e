namespace AiSidecar.ExtProc.Coalescing;

/// <summary>What the batcher holds: a held request, a batch of them, and the lane a batch belongs to.</summary>
internal sealed partial class Coalescer
{
    /// <summary>One request in a batch.</summary>
    private sealed class HeldMember(CoalesceRequest request, PoolLine line, long joinedAt, long deadlineAt, long leaveAt)
    {
        public CoalesceRequest Request { get; } = request;

        public PoolLine Line { get; } = line;

        public long JoinedAt { get; } = joinedAt;

        /// <summary>When the request's time is up.</summary>
        public long DeadlineAt { get; } = deadlineAt;

        /// <summary>When it must leave a batch not yet sent, to keep time for the call (or to pass through).</summary>
        public long LeaveAt { get; } = leaveAt;

        public TaskCompletionSource<CoalesceResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Batch? Batch { get; set; }

        /// <summary>True once its batch is out: it can no longer leave.</summary>
        public bool Sent { get; set; }

        public void Complete(CoalesceResult result) => Done.TrySetResult(result);
    }

    /// <summary>Members on their way to one upstream call.</summary>
    private sealed class Batch(Lane lane, long createdAt)
    {
        public Lane Lane { get; } = lane;

        public long CreatedAt { get; } = createdAt;

        public List<HeldMember> Members { get; } = [];

        public int Items { get; private set; }

        public long Tokens { get; private set; }

        /// <summary>When it goes, given a free slot.</summary>
        public long DueAt { get; set; }

        public ITimer? Timer { get; set; }

        public void Add(HeldMember member)
        {
            Members.Add(member);
            Items += member.Request.Member.Items;
            Tokens += member.Request.Member.Tokens;
            member.Batch = this;
        }

        public void Remove(HeldMember member)
        {
            if (Members.Remove(member))
            {
                Items -= member.Request.Member.Items;
                Tokens -= member.Request.Member.Tokens;
            }
        }

        public long LeaveAt => Members.Count == 0 ? long.MaxValue : Members.Min(m => m.LeaveAt);
    }

    /// <summary>Requests that may share a batch, and how fast they come.</summary>
    private sealed class Lane(string key)
    {
        public string Key { get; } = key;

        /// <summary>The batch still taking members; null when the last one is full or gone.</summary>
        public Batch? Open { get; set; }

        public long LastArrival { get; set; }

        /// <summary>Moving average of the gaps between the lane's requests, in timestamp ticks; 0 before the second.</summary>
        public double Gap { get; set; }
    }
}
