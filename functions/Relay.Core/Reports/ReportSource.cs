namespace Relay.Core.Reports;

/// <summary>Where a report came in. Stored, so never renumber.</summary>
public enum ReportSource
{
    ClientEventReport = 1,
    ClientRoomReport = 2,
    ClientUserReport = 3,
    SafetyReportApi = 4,
    Reaction = 5,
    Command = 6,
    DirectMessage = 7,
    WebForm = 8,
}
