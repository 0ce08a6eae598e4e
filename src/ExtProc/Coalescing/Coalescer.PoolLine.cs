namespace AiSidecar.ExtProc.Coalescing;

internal sealed partial class Coalescer
{
    /// <summary>
    /// One pool's batches not yet sent, in arrival order, and its calls in flight. Every change happens under one
    /// lock; calls run outside it.
    /// </summary>
    private sealed class PoolLine(Coalescer owner) : IDisposable
    {
        /// <summary>Gaps longer than this between a lane's requests count as this (an idle lane's first request goes at once anyway).</summary>
        private static readonly TimeSpan LongestGap = TimeSpan.FromSeconds(1);

        private const double Smoothing = 0.25;

        private readonly Lock _gate = new();
        private readonly List<Batch> _waiting = [];
        private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
        private int _inFlight;
        private int _maxInFlight = 1;
        private double _callTicks;

        private TimeProvider Time => owner._time;

        /// <summary>
        /// The time a member must keep for the call itself: twice the pool's mean successful call duration (at least
        /// 5 ms), at most the upstream's timeout. While no call is in flight a request goes at once, so it keeps only
        /// the least: it never waits, and its call measures the upstream again (one slow call cannot keep the pool
        /// from being held for good).
        /// </summary>
        public TimeSpan Reserve(PoolUpstreamOptions upstream)
        {
            if (Volatile.Read(ref _inFlight) == 0)
            {
                return MinimumReserve;
            }

            var mean = TimeSpan.FromSeconds(Volatile.Read(ref _callTicks) / Time.TimestampFrequency);
            var reserve = mean * 2 > MinimumReserve ? mean * 2 : MinimumReserve;
            var timeout = TimeSpan.FromMilliseconds(upstream.TimeoutMs);
            return reserve < timeout ? reserve : timeout;
        }

        /// <summary>Puts <paramref name="member"/> in its lane's open batch (or a new one) and sends what is due.</summary>
        public void Add(HeldMember member)
        {
            var request = member.Request;
            var upstream = request.Upstream;
            lock (_gate)
            {
                var now = Time.GetTimestamp();
                _maxInFlight = upstream.MaxInFlight;
                if (!_lanes.TryGetValue(request.Lane, out var lane))
                {
                    PruneIdleLanes(now);
                    _lanes.Add(request.Lane, lane = new Lane(request.Lane));
                }
                else if (lane.LastArrival != 0)
                {
                    var gap = Math.Min(now - lane.LastArrival, LongestGap.TotalSeconds * Time.TimestampFrequency);
                    lane.Gap = lane.Gap == 0 ? gap : lane.Gap + (Smoothing * (gap - lane.Gap));
                }

                lane.LastArrival = now;
                var batch = lane.Open;
                if (batch is not null && (batch.Items + request.Member.Items > upstream.MaxInputs || batch.Tokens + request.Member.Tokens > upstream.MaxTokens))
                {
                    // Full for this member: it stays in line as it is, and a new batch starts.
                    lane.Open = batch = null;
                }

                if (batch is null)
                {
                    batch = new Batch(lane, now);
                    lane.Open = batch;
                    _waiting.Add(batch);
                }

                batch.Add(member);
                if (batch.Items >= upstream.MaxInputs)
                {
                    lane.Open = null;
                }

                batch.DueAt = DueAt(batch, request, upstream);
                Pump(now);
                Arm(batch, now);
            }
        }

        /// <summary>Takes <paramref name="member"/> out of a batch not yet sent, passing it through with <paramref name="reason"/>.</summary>
        public void Leave(HeldMember member, string reason)
        {
            lock (_gate)
            {
                if (member.Sent || member.Batch is not { } batch)
                {
                    return;
                }

                Drop(batch, member);
            }

            member.Complete(CoalesceResult.PassThrough(reason));
        }

        /// <summary>A call of this pool was answered in <paramref name="elapsed"/>: the mean call duration the reserve is made of.</summary>
        public void Called(TimeSpan elapsed)
        {
            lock (_gate)
            {
                var ticks = elapsed.TotalSeconds * Time.TimestampFrequency;
                Volatile.Write(ref _callTicks, _callTicks == 0 ? ticks : _callTicks + (Smoothing * (ticks - _callTicks)));
            }
        }

        /// <summary>A call of this pool ended: its slot goes to the next due batch.</summary>
        public void Sent()
        {
            lock (_gate)
            {
                _inFlight--;
                var now = Time.GetTimestamp();
                Pump(now);
                foreach (var batch in _waiting)
                {
                    Arm(batch, now);
                }
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                foreach (var batch in _waiting)
                {
                    batch.Timer?.Dispose();
                }
            }
        }

        /// <summary>
        /// When <paramref name="batch"/> may go. At once when it is full or closed, when the upstream is idle, or when
        /// its lane's requests come no faster than <c>maxWaitMs</c> apart; otherwise when enough more should have come
        /// to fill it at the lane's rate, and no later than <c>maxWaitMs</c> after it opened.
        /// </summary>
        private long DueAt(Batch batch, CoalesceRequest request, PoolUpstreamOptions upstream)
        {
            var maxWait = request.MaxWait.TotalSeconds * Time.TimestampFrequency;
            var gap = batch.Lane.Gap;
            if (batch.Lane.Open != batch || _inFlight == 0 || gap == 0 || gap >= maxWait)
            {
                return batch.CreatedAt;
            }

            var fill = gap * (upstream.MaxInputs - batch.Items);
            return batch.CreatedAt + (long)Math.Min(maxWait, fill);
        }

        /// <summary>Sends due batches, oldest first, while slots are free; first drops members whose time is up.</summary>
        private void Pump(long now)
        {
            for (var i = 0; i < _waiting.Count && _inFlight < _maxInFlight;)
            {
                var batch = _waiting[i];
                Expire(batch, now);
                if (batch.Members.Count == 0)
                {
                    continue;
                }

                if (batch.DueAt > now)
                {
                    i++;
                    continue;
                }

                _waiting.RemoveAt(i);
                Close(batch);
                _inFlight++;
                foreach (var member in batch.Members)
                {
                    member.Sent = true;
                }

                _ = Task.Run(() => owner.SendAsync(this, batch));
            }
        }

        /// <summary>Passes through the members of <paramref name="batch"/> whose time to leave has come.</summary>
        private void Expire(Batch batch, long now)
        {
            for (var m = batch.Members.Count - 1; m >= 0; m--)
            {
                var member = batch.Members[m];
                if (member.LeaveAt <= now)
                {
                    Drop(batch, member);
                    member.Complete(CoalesceResult.PassThrough("expired"));
                }
            }
        }

        /// <summary>Removes <paramref name="member"/> from <paramref name="batch"/>, and the batch from the line when it is empty.</summary>
        private void Drop(Batch batch, HeldMember member)
        {
            batch.Remove(member);
            member.Batch = null;
            if (batch.Members.Count == 0)
            {
                _waiting.Remove(batch);
                Close(batch);
            }
        }

        private static void Close(Batch batch)
        {
            if (batch.Lane.Open == batch)
            {
                batch.Lane.Open = null;
            }

            batch.Timer?.Dispose();
            batch.Timer = null;
        }

        /// <summary>Sets <paramref name="batch"/>'s timer to its next moment: its due time (when not yet due) or its first member's time to leave.</summary>
        private void Arm(Batch batch, long now)
        {
            if (batch.Members.Count == 0 || batch.Members[0].Sent)
            {
                return;
            }

            var next = batch.LeaveAt;
            if (batch.DueAt > now && batch.DueAt < next)
            {
                next = batch.DueAt;
            }

            if (next == long.MaxValue)
            {
                return;
            }

            var delay = Time.GetElapsedTime(now, next);
            delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
            if (batch.Timer is null)
            {
                batch.Timer = Time.CreateTimer(static s => ((OnTimer)s!).Fire(), new OnTimer(this, batch), delay, Timeout.InfiniteTimeSpan);
            }
            else
            {
                batch.Timer.Change(delay, Timeout.InfiniteTimeSpan);
            }
        }

        private void Fire(Batch batch)
        {
            lock (_gate)
            {
                if (batch.Members.Count == 0 || batch.Members[0].Sent)
                {
                    return;
                }

                var now = Time.GetTimestamp();
                Expire(batch, now);
                Pump(now);
                if (batch.Members.Count > 0 && !batch.Members[0].Sent)
                {
                    Arm(batch, now);
                }
            }
        }

        /// <summary>Forgets lanes with no batch that have been quiet for a while, so lane keys do not pile up.</summary>
        private void PruneIdleLanes(long now)
        {
            if (_lanes.Count < 64)
            {
                return;
            }

            var quiet = (long)(10 * LongestGap.TotalSeconds * Time.TimestampFrequency);
            foreach (var (key, lane) in _lanes)
            {
                if (lane.Open is null && now - lane.LastArrival > quiet)
                {
                    _lanes.Remove(key);
                }
            }
        }

        private sealed class OnTimer(PoolLine line, Batch batch)
        {
            public void Fire() => line.Fire(batch);
        }
    }
}
