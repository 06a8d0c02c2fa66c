"""The built-in source types, one declaration each: Google (Gmail, Drive, Sheets), Slack, Notion, Xero."""

from __future__ import annotations

from operator import methodcaller

from tools.sources.drive.local import LocalDrive
from tools.sources.gmail.local import LocalGmail
from tools.sources.notion import walk as walk_notion
from tools.sources.notion.local import LocalNotion
from tools.sources.registry import ModelHooks, Prompts, SourceType, register
from tools.sources.sheets.local import LocalSheets
from tools.sources.slack import walk as walk_slack
from tools.sources.slack.local import LocalSlack
from tools.sources.slugs import Drive, Gmail, Notion, Sheets, Slack, Xero
from tools.sources.xero import walk as walk_xero
from tools.sources.xero.local import LocalXero

# Gmail, Drive and Sheets are walked by the explorer's own mixins (nodes/explorer/<type>.py)
# and catalogued by the model brain's built-in catalogue; the newer types bring their walks here.
register(
    SourceType(
        name="gmail",
        toolkit="gmail",
        label="Gmail",
        read_tools=(
            Gmail.FETCH_EMAILS,
            Gmail.FETCH_MESSAGE_BY_MESSAGE_ID,
            Gmail.FETCH_MESSAGE_BY_THREAD_ID,
            Gmail.GET_ATTACHMENT,
            Gmail.LIST_LABELS,
        ),
        local=LocalGmail,
        walk=methodcaller("explore_gmail"),
        export="an mbox file, a Maildir or a folder of .eml files",
        prompts=Prompts(
            listing="GMAIL_FETCH_EMAILS (max_results, page_token; verbose=false gives headers only)",
            sample="GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID with format 'full' reads one message (text cut to a preview)",
            download="GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID with format 'raw' downloads a message and its attachments into "
            "your workspace (you get back where it was saved, not the bytes); GMAIL_GET_ATTACHMENT downloads "
            "one attachment alone",
        ),
    )
)

register(
    SourceType(
        name="drive",
        toolkit="googledrive",
        label="Google Drive",
        read_tools=(Drive.LIST_FILES, Drive.FIND_FILE, Drive.GET_FILE_METADATA, Drive.DOWNLOAD_FILE),
        local=LocalDrive,
        walk=methodcaller("explore_drive"),
        export="a folder tree",
        prompts=Prompts(
            listing="GOOGLEDRIVE_LIST_FILES (pageSize, pageToken); folders come back as files with a folder mimeType",
            sample="GOOGLEDRIVE_GET_FILE_METADATA; or download a file and look into it with workspace_read or "
            "run_command",
            download="GOOGLEDRIVE_DOWNLOAD_FILE (fileId) downloads one file into your workspace",
        ),
    )
)

register(
    SourceType(
        name="sheets",
        toolkit="googlesheets",
        label="Google Sheets",
        read_tools=(
            Sheets.SEARCH_SPREADSHEETS,
            Sheets.GET_SPREADSHEET_INFO,
            Sheets.GET_SHEET_NAMES,
            Sheets.VALUES_GET,
            Sheets.BATCH_GET,
        ),
        local=lambda path, downloads: LocalSheets(path),
        walk=methodcaller("explore_sheets"),
        export="a folder of .xlsx/.xls/.csv files",
        prompts=Prompts(
            listing="GOOGLESHEETS_SEARCH_SPREADSHEETS (max_results, page_token), then GOOGLESHEETS_GET_SHEET_NAMES "
            "for each spreadsheet",
            sample="GOOGLESHEETS_VALUES_GET with a cell range such as 'Sheet1!A1:F10' reads a few rows",
            download="GOOGLESHEETS_VALUES_GET with range set to a sheet's name alone (e.g. 'Budget 2024') downloads "
            "that whole sheet into your workspace as CSV",
        ),
    )
)

register(
    SourceType(
        name="slack",
        toolkit="slack",
        label="Slack",
        read_tools=(
            Slack.LIST_ALL_CHANNELS,
            Slack.FETCH_CONVERSATION_HISTORY,
            Slack.FETCH_MESSAGE_THREAD_FROM_A_CONVERSATION,
            Slack.LIST_ALL_USERS,
            Slack.LIST_FILES_WITH_FILTERS_IN_SLACK,
            Slack.DOWNLOAD_SLACK_FILE,
        ),
        local=LocalSlack,
        walk=walk_slack.walk,
        export="a Slack workspace export (zip or folder)",
        model=ModelHooks(units=walk_slack.units, download=walk_slack.download_unit, fetch=walk_slack.fetch_unit),
        list_keys=("channels", "members"),
        prompts=Prompts(
            listing="SLACK_LIST_ALL_CHANNELS (limit, cursor; the next cursor is response_metadata.next_cursor)",
            sample="SLACK_FETCH_CONVERSATION_HISTORY with channel and a small limit reads recent messages; "
            "SLACK_FETCH_MESSAGE_THREAD_FROM_A_CONVERSATION (channel, ts) reads one thread",
            download="SLACK_FETCH_CONVERSATION_HISTORY with only channel (no limit, no cursor) downloads the whole "
            "channel, one file per day with its threads, into your workspace; SLACK_DOWNLOAD_SLACK_FILE "
            "(file) downloads one shared file",
        ),
    )
)

register(
    SourceType(
        name="notion",
        toolkit="notion",
        label="Notion",
        read_tools=(
            Notion.SEARCH_NOTION_PAGE,
            Notion.FETCH_DATA,
            Notion.RETRIEVE_PAGE,
            Notion.FETCH_BLOCK_CONTENTS,
            Notion.GET_PAGE_MARKDOWN,
        ),
        local=LocalNotion,
        walk=walk_notion.walk,
        export="a Notion export (folder or zip of Markdown/HTML pages)",
        model=ModelHooks(units=walk_notion.units, download=walk_notion.download_unit, fetch=walk_notion.fetch_unit),
        list_keys=("results", "values"),
        prompts=Prompts(
            listing="NOTION_SEARCH_NOTION_PAGE (query, page_size, start_cursor; response_data.next_cursor pages on)",
            sample="NOTION_RETRIEVE_PAGE (page_id) for a page's properties, NOTION_FETCH_BLOCK_CONTENTS (block_id) "
            "for its first blocks",
            download="NOTION_GET_PAGE_MARKDOWN (page_id) downloads one page as Markdown into your workspace",
        ),
    )
)

register(
    SourceType(
        name="xero",
        toolkit="xero",
        label="Xero",
        read_tools=(Xero.LIST_INVOICES, Xero.GET_INVOICE, Xero.GET_CONTACTS, Xero.LIST_ACCOUNTS),
        local=LocalXero,
        walk=walk_xero.walk,
        export="a folder of Xero CSV exports (invoices, contacts, accounts)",
        model=ModelHooks(units=walk_xero.units, download=walk_xero.download_unit, fetch=walk_xero.fetch_unit),
        list_keys=("Invoices", "Contacts", "Accounts"),
        prompts=Prompts(
            listing="XERO_LIST_INVOICES (page; pagination.pageCount), XERO_GET_CONTACTS (page, pageSize) and "
            "XERO_LIST_ACCOUNTS",
            sample="XERO_GET_INVOICE (invoice_id) reads one invoice; a `where` filter narrows a listing",
            download="XERO_LIST_INVOICES, XERO_GET_CONTACTS or XERO_LIST_ACCOUNTS with no filter and no page "
            "downloads every record of that kind into your workspace",
        ),
    )
)
