using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NaraAuth.Core.Errors;
using NaraAuth.Core.Reporting;

namespace NaraAuth.Core.Logout;

/// <summary>
/// The one logout sequence of the three Disconnect- cmdlets. A plan is made before anything is
/// asked: which of its files are present, how the confirmation names them (<see cref="Target"/>,
/// <see cref="Action"/>), and every line said along the way. Carried out, it follows one order:
/// nothing present is no error but a verbose note (the goal, no login on disk, is met); not
/// confirmed (-WhatIf, or the person said no) removes nothing and ends nothing; confirmed, it
/// first ends the login elsewhere where its kind can (a provider's revocation, which never keeps
/// the files), then removes the present files one by one, saying so for each.
/// </summary>
public abstract class LogoutPlan
{
    protected LogoutPlan(IReadOnlyList<LogoutFile> files, IReporter reporter)
    {
        Files = files;
        Reporter = reporter;
    }

    /// <summary>Every file the logout is about, present or not.</summary>
    public IReadOnlyList<LogoutFile> Files { get; }

    /// <summary>The files that were there when the logout was planned: what it would remove.</summary>
    public IReadOnlyList<LogoutFile> Present => Files.Where(f => f.Exists).ToList();

    /// <summary>Every file this logout removed.</summary>
    public IReadOnlyList<string> Removed => Files.Where(f => f.Removed).Select(f => f.Path).ToList();

    /// <summary>What the logout did; null until it was carried out.</summary>
    public LogoutStatus? Status { get; private set; }

    /// <summary>What the confirmation names as the thing changed.</summary>
    public abstract string Target { get; }

    /// <summary>What the confirmation says will be done; null when nothing is present, so there is nothing to ask.</summary>
    public string? Action
    {
        get
        {
            var present = Present;
            return present.Count == 0 ? null : DescribeAction(present);
        }
    }

    protected IReporter Reporter { get; }

    /// <summary>The action for these present files (at least one).</summary>
    protected abstract string DescribeAction(IReadOnlyList<LogoutFile> present);

    /// <summary>The verbose note when nothing is there; it starts with "Not connected: ", as for every Disconnect- cmdlet.</summary>
    protected abstract string NothingToRemove { get; }

    /// <summary>The verbose line once <paramref name="file"/> is gone.</summary>
    protected abstract string RemovedNote(LogoutFile file);

    /// <summary>A last verbose line after the files went (what still lives elsewhere); null for none.</summary>
    protected virtual string? AfterRemoval => null;

    /// <summary>The error when <paramref name="file"/> cannot be removed, in the words and id of this logout's cmdlet.</summary>
    protected abstract NaraAuthException NotRemoved(LogoutFile file, NaraErrorCategory category, Exception cause);

    /// <summary>Ends the login beyond this machine before the files go; a failure there is reported, never thrown, since the files go regardless.</summary>
    protected virtual Task EndElsewhereAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Carries the logout out. <paramref name="confirmed"/> is the answer to the confirmation
    /// (false under -WhatIf); it is not looked at when nothing is present.
    /// </summary>
    public async Task<LogoutStatus> ExecuteAsync(bool confirmed, CancellationToken cancellationToken)
    {
        var present = Present;
        if (present.Count == 0)
        {
            Reporter.Verbose(NothingToRemove);
            return (Status = LogoutStatus.NotConnected).Value;
        }
        if (!confirmed) return (Status = LogoutStatus.WhatIf).Value;

        await EndElsewhereAsync(cancellationToken).ConfigureAwait(false);
        // Past the provider nothing waits: the files go together, even if Ctrl+C comes now.
        foreach (var file in present)
        {
            if (Remove(file)) Reporter.Verbose(RemovedNote(file));
        }
        if (AfterRemoval is { } note) Reporter.Verbose(note);
        return (Status = LogoutStatus.Disconnected).Value;
    }

    /// <summary>Removes one file; a file gone in the meantime is fine (a logout is idempotent). A folder is never removed.</summary>
    private bool Remove(LogoutFile file)
    {
        if (!File.Exists(file.Path)) return false;
        try
        {
            File.Delete(file.Path);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            throw NotRemoved(file, e is UnauthorizedAccessException ? NaraErrorCategory.PermissionDenied : NaraErrorCategory.WriteError, e);
        }
        file.Removed = true;
        return true;
    }
}
