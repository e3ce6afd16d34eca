"""Every user-facing string of the bot, in English. Keys must match fr.py."""

TEXTS: dict[str, str] = {
    # --- access ---------------------------------------------------------------------------------
    "refused": "Sorry, this bot is private. Ask its owner to add your Telegram id ({user_id}).",
    "paired": "You are now the owner of this bot. Send me photos of clothes to start.",
    "pairing_wrong": "That pairing code is not right. Look for it in the bot's log.",
    "pairing_too_many": (
        "Too many wrong codes: pairing is off. Restart the bot for a new code in its log."
    ),
    "pairing_taken": "This bot already has its owner: it is private.",
    # --- start / help -------------------------------------------------------------------------
    "welcome": (
        "<b>Hello {name}!</b> I turn photos of your clothes into Vinted listings.\n\n"
        "1. Send photos: albums or single photos, several items at once if you like "
        "(iPhone HEIC as files works too). A caption helps: <i>Zara, size M, worn twice</i>.\n"
        "2. I reply with one draft card per item: check it, edit it with the buttons or by "
        "replying to the card in plain words (<i>price 25, add a small stain on the sleeve</i>).\n"
        "3. Tap <b>Approve</b>: the draft joins your publishing queue.\n\n"
        "/help lists every command."
    ),
    "help": (
        "<b>Commands</b>\n"
        "/drafts - your open drafts\n"
        "/queue - approved drafts waiting to be published\n"
        "/one - make the next photos a single item\n"
        "/regen 12 Zara, M - analyse draft #12 again with your hint\n"
        "/stats - this month's figures\n"
        "/export - a ZIP of your drafts and photos\n"
        "/settings - languages, grouping, publish or Vinted drafts, relisting\n"
        "/connect - connect your Vinted account; /disconnect to forget it\n"
        "/status - your Vinted session and the publishing queue\n"
        "/check - check that Vinted's upload page has what I need\n"
        "/dryrun 12 - fill Vinted's form with draft #12 without publishing\n"
        "/at 12 18:30 - publish draft #12 at 18:30 at the earliest\n"
        "/cancel - stop what you are doing\n\n"
        "Send photos at any time. Reply to a draft card in plain words to change it."
    ),
    "hint_send_photos": "Send me photos of clothes to make listings, or /help.",
    "unknown_command": "I don't know that command. /help lists what I can do.",
    "cancelled": "Cancelled.",
    "nothing_to_cancel": "Nothing to cancel.",
    "one_armed": "OK: the next photos you send will make one single item.",
    # --- commands menu ------------------------------------------------------------------------
    "cmd_start": "How it works",
    "cmd_help": "Commands",
    "cmd_drafts": "Open drafts",
    "cmd_queue": "Publishing queue",
    "cmd_one": "Next photos are one item",
    "cmd_stats": "This month's figures",
    "cmd_export": "Export drafts and photos",
    "cmd_settings": "Languages and grouping",
    "cmd_cancel": "Cancel",
    # --- receiving photos ---------------------------------------------------------------------
    "batch_receiving": "Receiving photos...",
    "batch_received": "{count} {count|photo|photos} received, analysing...",
    "batch_received_one": "1 photo received, analysing...",
    "batch_progress": (
        "Analysing {total} photos...\nPhotos looked at: {photos}/{total}\n"
        "Items found: {items}\nDrafts written: {drafts}/{items}"
    ),
    "batch_done": (
        "Done: {drafts} {drafts|draft|drafts} from {photos} {photos|photo|photos} ({ready} "
        "ready to approve)."
    ),
    "batch_empty": "None of these files could be used, so there is nothing to analyse.",
    "batch_failed": "The analysis of these photos stopped: {reason}",
    "batch_full": "A batch holds at most {limit} photos: the rest were not kept. Send them again "
    "after this batch is done.",
    "skipped_header": "Skipped:",
    "skipped_more": "- and {count} more ({reason})",
    "skipped_line": "- {name}: {reason}",
    "skip_disk_full": "the server has no room left to store it; send it again later",
    "skip_video": "a video, not a photo",
    "skip_sticker": "a sticker, not a photo",
    "skip_animation": "an animation, not a photo",
    "skip_voice": "a voice message, not a photo",
    "skip_audio": "an audio file, not a photo",
    "skip_too_big": "over 20 MB, too big for Telegram bots: send it as a photo instead",
    "skip_empty": "the file is empty",
    "skip_not_image": "not an image",
    "skip_corrupt": "the file is damaged or cut short",
    "skip_too_large": "the file is too large",
    "skip_too_many_pixels": "the image is far too large in pixels",
    "skip_duplicate": "the same photo was already sent",
    "skip_download": "could not be downloaded from Telegram",
    "retry": "Retry",
    # --- cards --------------------------------------------------------------------------------
    "card_price": "<b>{target}</b> (range {min} - {max})",
    "card_fact": "{label}: {value}",
    "card_brand": "Brand",
    "card_no_brand": "no brand",
    "card_category": "Category",
    "card_size": "Size",
    "card_condition": "Condition",
    "card_colours": "Colours",
    "card_material": "Material",
    "card_defects": "Defects",
    "card_to_confirm": "to confirm",
    "card_ready": "Ready to publish",
    "card_missing": "To fix: {items}",
    "card_approved": "Approved: waiting in the publishing queue",
    "card_queued": "Queued for publishing",
    "card_publishing": "Publishing on Vinted...",
    "card_published": "Published on Vinted: {url}",
    "left_out_field": "{field} “{value}”",
    "left_out_line": (
        "Left empty on Vinted, as its list does not offer it: {fields}. Complete the listing"
        " on Vinted if needed."
    ),
    "card_failed": "Analysis failed: {reason}",
    "card_publish_failed": "Publishing failed: {reason}",
    "card_deleted": "Draft deleted.",
    "card_moved": "Card reopened further down.",
    "btn_approve_ready": "Approve the {count} ready",
    "btn_approve_one": "Approve the ready draft",
    "btn_confirm_approve_ready": "Yes, approve {count} {count|draft|drafts}",
    "btn_undo_approve_ready": "↩️ Undo these approvals",
    "bulk_confirm": "{count} ready {count|draft|drafts}: confirm to approve them.",
    "bulk_none_ready": "No draft of this batch is ready to approve.",
    "bulk_approved": "{count} {count|draft|drafts} approved, in the publishing queue.",
    "bulk_undone": "{count} {count|approval|approvals} undone.",
    "drafts_filter_all": "All",
    "drafts_filter_ready": "Ready",
    "drafts_filter_confirm": "To finish",
    "drafts_filter_failed": "Failed",
    "voice_no_card": (
        "To change a card by voice, reply to it with your voice note "
        "(or send it right after pressing Edit)."
    ),
    "voice_too_long": "This voice note is too long: {max} seconds at most, please.",
    "voice_failed": (
        "I could not listen to this voice note. The card is unchanged; "
        "try again or type the change."
    ),
    "voice_empty": "I heard nothing in this voice note. The card is unchanged.",
    "voice_heard": "🎙 I heard: “{text}”",
    "price_basis_sold": "{count} sold in {days} days: {low} to {high}, median {median}",
    "price_basis_rules": "Price from the rules: {brand}, {condition}",
    "price_basis_not_connected": "connect Vinted (/connect) for sold prices",
    "price_basis_unavailable": "Vinted's data could not be read",
    "price_basis_no_category": "Vinted category not known yet",
    "price_basis_few": "no recent comparable sale",
    "btn_vinted_price": "Vinted's price: {price}",
    "card_merged": "{albums} albums → 1 item",
    "card_merged_loose": "{albums} {albums|album|albums} + {loose} {loose|photo|photos} → 1 item",
    "card_lookalike": "⚠️ Looks like #{id}, published on {date}: already listed?",
    "months_short": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    "btn_split": "Split the albums",
    "splitting": "Splitting into {count} {count|item|items}...",
    "split_done": "Split into {count} {count|item|items}: the other cards follow.",
    "err_split_single": "These photos come from one album: nothing to split.",
    "err_split_pending": "Analysis interrupted: press Retry.",
    "card_deleted_undo": "Draft deleted. You can bring it back for 48 hours.",
    "btn_restore": "Bring the draft back",
    "restored": "Draft restored.",
    "restored_to_approve": "Draft restored: approve it again to publish it.",
    "err_restore_gone": "This draft can no longer be brought back.",
    "card_photos_count": "{count} {count|photo|photos}",
    "card_changes": "Changed: {changes}",
    "btn_approve": "Approve",
    "btn_edit": "Edit",
    "btn_regenerate": "Regenerate",
    "btn_delete": "Delete",
    "btn_photos": "Photos ({count})",
    "btn_back": "Back",
    "btn_undo": "Undo approval",
    "btn_retry": "Retry",
    "btn_confirm_delete": "Yes, delete",
    "btn_other_size": "Other size",
    "btn_open": "#{id} {title}",
    "btn_prev": "Previous",
    "btn_next": "Next",
    "field_title": "Title",
    "field_description": "Description",
    "field_price": "Price",
    "field_brand": "Brand",
    "field_size": "Size",
    "field_condition": "Condition",
    "field_category": "Category",
    "field_colours": "Colours",
    "field_material": "Material",
    "field_cover": "Photos / cover",
    "field_hashtags": "Hashtags",
    "field_defects": "Defects",
    "field_measurements": "Measurements",
    # Conditions
    "cond_new_with_tags": "New with tags",
    "cond_new_without_tags": "New without tags",
    "cond_very_good": "Very good",
    "cond_good": "Good",
    "cond_satisfactory": "Satisfactory",
    # Missing keys, in plain words
    "missing_title_missing": "a title",
    "missing_title_too_long": "a shorter title (70 characters at most)",
    "missing_title_broken": "a title that reads well (the repaired one says too little)",
    "missing_description_missing": "a description",
    "missing_description_invalid": "a description of a few factual lines",
    "missing_description_too_long": "a description of at most 2,000 characters",
    "missing_hashtags_invalid": "3 to 5 hashtags",
    "missing_emoji": "no emoji",
    "missing_marketing_phrases": "no marketing phrases",
    "missing_size_to_confirm": "the size (not visible on the photos)",
    "missing_condition_to_confirm": "the condition",
    "missing_category_missing": "a category",
    "missing_price_invalid": "a price",
    # --- draft actions ------------------------------------------------------------------------
    "edit_menu": "What do you want to change?",
    "ask_value": "Send the new {field}.",
    "ask_value_current": "Send the new {field} (now: {current}).",
    "ask_title": "Send the new title (70 characters at most).",
    "ask_price": "Send the new price in euros, e.g. 25 or 25.50.",
    "ask_brand": "Send the brand, or - for no brand.",
    "ask_colours": "Send one or two colours, e.g. blue, white.",
    "ask_category": "Send a word of the category (e.g. jeans, hoodie, dress).",
    "field_marketplace_category": "Vinted category",
    "pick_marketplace_category": "Choose this item's Vinted category:",
    "btn_other_marketplace_category": "Another category…",
    "btn_marketplace_category": "Vinted category",
    "card_category_to_choose": "to choose on Vinted",
    "marketplace_category_set": "Vinted category: {path}",
    "marketplace_category_unknown": (
        "Connect your Vinted account first (/connect): its categories come from it."
    ),
    "btn_up": "⬅ Up one level",
    "pick_category": "Which category?",
    "no_category_match": 'No category matches "{query}". Try another word (e.g. jeans, coat).',
    "pick_condition": "Which condition?",
    "pick_size": "Which size?",
    "ask_other_size": "Send the size as on the label (e.g. 38, M, W32 L34).",
    "pick_cover": "Tap the photo that should be the cover.",
    "cover_set": "Cover changed.",
    # --- a draft's photos, from its card ----------------------------------------------------
    "btn_photo_earlier": "⬅️ Earlier",
    "btn_photo_later": "Later ➡️",
    "btn_photo_to": "→ {count}",
    "btn_photo_to_cover": "→ Cover",
    "btn_photo_remove": "🗑 Remove this photo",
    "btn_photo_back": "Back to the photos",
    "btn_photo_undo": "↩️ Put the photo back",
    "btn_photos_show": "🖼 Show them numbered",
    "btn_photos_add": "➕ Add photos",
    "photos_menu": "Tap a photo's number to move or remove it (photo 1 is the cover). To add "
    "photos, reply to this card with them.",
    "photos_add_how": "Reply to this card with the photos to add: {max} photos at most in all.",
    "photo_picked": "Photo {number} of {count}: move it or remove it.",
    "photo_moved": "Photo {before} is now photo {after}.",
    "photo_moved_cover": "Photo {before} is now the cover.",
    "photo_not_moved": "It is there already.",
    "photo_removed": "Photo {number} removed: {count} {count|photo|photos} left.",
    "photo_put_back": "Photo {number} is back.",
    "photos_added_note": "{added} {added|photo|photos} added: {count} in all.",
    "photos_added": "Draft #{id}: {added} {added|photo|photos} added, {count} in all.",
    "photos_not_added": "Not added to draft #{id}:",
    "photos_locked": "Draft #{id} is being published or is published: its photos can no "
    "longer change.",
    "skip_on_draft": "already on this draft",
    "skip_listing_full": "the listing is full ({max} photos at most on Vinted)",
    "err_photo_gone": "That photo is no longer on this draft: open its photos again.",
    "err_photo_last": "A listing needs at least one photo: add another before removing this one.",
    "err_photos_full": "A Vinted listing takes {max} photos at most: this draft has {count}.",
    "err_photo_duplicate": "This photo is already on the draft (photo {number}).",
    "field_updated": "{field}: {before} -> {after}",
    "edited": "Updated.",
    "btn_undo_edit": "↩️ Undo the change",
    "edit_undone": "Change undone.",
    "err_undo_unavailable": "There is nothing to undo on this draft.",
    "err_undo_stale": "The draft changed since: it can no longer be undone. Edit it directly.",
    "followed_line": "{field}: “{before}” -> “{after}”",
    "still_stated": "The description still says “{line}”: correct it (Edit, then Description).",
    "unapplied_unchanged": "Not applied: {field} (I did not understand the new value).",
    "unapplied_defect_not_found": "“{value}” is not in the listing yet: nothing to remove.",
    "approved_connect_first": (
        "Approved. Connect your Vinted account with /connect to publish: it waits in the "
        "queue until then."
    ),
    "approved": "Approved. It joins the publishing queue.",
    "approve_already": "This draft is already approved.",
    "approve_not_ready": "Not ready to publish yet. Missing: {items}.",
    "approve_confirm_first": "Before approving, please confirm: {items}.",
    "undone": "Approval undone: the draft is back to editing.",
    "confirm_delete": "Delete this draft? Its photos stay in your export until purged.",
    "deleted": "Draft deleted.",
    "regenerating": "Analysing the photos again...",
    "regenerated": "New version written.",
    "regenerating_card": "Writing a new version...",
    "regenerated_same": "New version written: nothing changed.",
    "regenerated_description": "Description rewritten.",
    "regenerate_failed": "No new version; the listing stays as it was.\n{reason}",
    "draft_gone": "This draft no longer exists.",
    "old_button": "This button has expired. Use /drafts to reopen a card.",
    "not_yours": "This is not your draft.",
    "edit_applying": "Applying your change...",
    "edit_nothing": "I did not find anything to change in that message.",
    "edit_needs_reapproval": "The draft went back to editing: approve it again when ready.",
    "queue_empty": "No approved drafts are waiting.",
    "queue_header": "<b>Publishing queue</b> ({count})",
    "queue_failed_header": "<b>Not published</b> ({count})",
    "queue_failed_line": "#{id} {title}: {reason}",
    "btn_retry_id": "Retry #{id}",
    "btn_open_id": "Open #{id}",
    "queue_line": "{pos}. #{id} {title} - {price}",
    "drafts_empty": "No open drafts. Send photos to make some.",
    "drafts_header": "<b>Your drafts</b> ({count}), page {page}/{pages}:",
    "status_draft": "draft",
    "status_approved": "approved",
    "status_queued": "queued",
    "status_publishing": "publishing",
    "status_published": "published",
    "status_failed": "failed",
    "status_ready": "ready",
    "status_to_fix": "to fix",
    # --- stats / export / settings ------------------------------------------------------------
    "stats": (
        "<b>This month</b>\n"
        "Photos analysed: {photos}\n"
        "Drafts: {drafts} ({ready_share}% ready first time)\n"
        "Published: {published}\n"
        "Failed: {failed}\n"
        "AI tokens: {tokens} (about {cost})"
    ),
    "export_building": "Preparing your export...",
    "export_caption": "Your drafts (JSON and CSV) and their photos.",
    "export_empty": "Nothing to export yet.",
    "settings": (
        "<b>Settings</b>\n"
        "Listing language: {listing}\n"
        "Interface language: {ui}\n"
        "Grouping: {grouping}"
    ),
    "set_listing_language": "Listings in {value}",
    "set_ui_language": "Interface in {value}",
    "grouping_auto": "automatic (the AI groups photos into items)",
    "grouping_album": "one item per album",
    "btn_grouping_auto": "Group: automatic",
    "btn_grouping_album": "Group: by album",
    "lang_fr": "French",
    "lang_en": "English",
    "lang_de": "German",
    "settings_mode": "Vinted: {mode}",
    "settings_saved": "Saved.",
    "settings_relist": "Relisting: {mode}, after {days} days unsold (price -{percent} %)",
    "settings_relist_off": "Relisting: off",
    "relist_mode_ask": "I ask you once a day",
    "relist_mode_auto": "automatic",
    "btn_relist_mode_off": "Relist: off",
    "btn_relist_mode_ask": "Relist: ask me",
    "btn_relist_mode_auto": "Relist: auto",
    "btn_relist_days": "{count} d",
    "settings_footer": "Footer: {footer}",
    "settings_footer_none": "none",
    "btn_footer": "Footer…",
    "btn_footer_remove": "Remove the footer",
    "footer_ask": (
        "<b>Your footer</b>: the lines added at the end of every description when it is "
        'published ("Shipped within 24 h", "Bundles welcome").\n'
        "Send them, one per line: {lines} lines of {chars} characters at most. No links, "
        "e-mail addresses or phone numbers: Vinted does not allow contact details.\n"
        "Send - to remove your footer, /cancel to keep it as it is."
    ),
    "footer_saved": "Footer saved. Every description will end with:\n<i>{footer}</i>",
    "footer_removed": "Footer removed: descriptions are published as they are.",
    "footer_drafts_too_long": (
        "{count} {count|draft|drafts} now {count|needs|need} a shorter description: with "
        "the footer, {count|it goes|they go} over {max} characters."
    ),
    "footer_empty": "That footer is empty. Send its lines, - to remove it, or /cancel.",
    "footer_too_many_lines": "That is {count} lines: {max} at most, please. Send it again.",
    "footer_line_too_long": (
        "Line {line} has {count} characters: {max} at most, please. Send the footer again."
    ),
    "footer_email": (
        "Line {line} holds an e-mail address: Vinted does not allow contact details in a "
        "listing. Send the footer again without it."
    ),
    "footer_link": (
        "Line {line} holds a link: Vinted does not allow links or contact details in a "
        "listing. Send the footer again without it."
    ),
    "footer_phone": (
        "Line {line} holds a phone number: Vinted does not allow contact details in a "
        "listing. Send the footer again without it."
    ),
    "footer_handle": (
        "Line {line} holds an @ account name: Vinted does not allow contact details in a "
        "listing. Send the footer again without it."
    ),
    "footer_hashtag": (
        "Line {line} holds a hashtag: hashtags go with the listing's own hashtags. Send the "
        "footer again without it."
    ),
    "card_footer": "+ your footer: {footer}",
    # --- relisting ----------------------------------------------------------------------------
    "relist_offer": (
        "<b>{count} of your listings {count|has|have} not sold in {days} days.</b> "
        "{count|Relist it|Relist them}?"
    ),
    "relist_auto": (
        "<b>Relisting {count} {count|listing|listings} unsold for {days} days</b> (automatic):"
    ),
    "relist_line": "• {title}: {price}",
    "relist_line_drop": "• {title}: {old} → {new}",
    "relist_more": "… and {count} more",
    "relist_how": (
        "A fresh listing goes back to the top of searches. I save a copy as a Vinted draft, "
        "delete the old listing, then publish the copy, paced like your publishing."
    ),
    "btn_relist_all": "Relist the {count}",
    "btn_relist_one": "Relist it",
    "btn_relist_later": "Not now",
    "relist_accepted": (
        "{count} {count|listing|listings} to relist, paced like your publishing: I'll send "
        "each new link. "
        "Automatic relisting can be turned on in /settings."
    ),
    "relist_snoozed": "Fine: I'll offer them again in a week.",
    "relist_nothing": "Nothing left to relist from this message.",
    "relisted_msg": "Relisted on Vinted: <b>{title}</b> at {price}\n{url}",
    "relist_gone": "<b>{title}</b> is no longer on your wardrobe (sold or removed): not relisted.",
    "relist_failed_kept": (
        "Could not relist <b>{title}</b> ({reason}). Your listing stays as it was."
    ),
    "relist_failed_down": (
        "Could not finish relisting <b>{title}</b> ({reason}). Its copy waits in your Vinted "
        "drafts: open it on Vinted to publish it."
    ),
    "relist_stuck": (
        "Relisting <b>{title}</b> is taking longer ({reason}): the old listing is deleted and "
        "its copy waits in your Vinted drafts. I keep trying."
    ),
    # --- errors -------------------------------------------------------------------------------
    "err_ai_unavailable": "the AI service is unavailable right now, tap Retry in a moment",
    "err_ai_rate_limited": "the AI service is busy (rate limited), tap Retry in a minute",
    "err_ai_bad_answer": "the AI gave an unusable answer, tap Retry",
    "err_price_invalid": "That is not a price. Send a number of euros, e.g. 25 or 25.50.",
    "err_title_too_long": "That title has {count} characters: 70 at most, please.",
    "err_description_too_long": "That description has {count} characters: {max} at most, please.",
    "err_value_empty": "Please send a value.",
    "err_draft_not_found": "This draft no longer exists.",
    "err_not_editable": "This draft cannot be changed now (it is being published or is "
    "published).",
    "err_nothing_to_edit": "I did not find anything to change in that message.",
    "err_category_unknown": "Unknown category: pick one from the list.",
    "err_too_many_colours": "Two colours at most, please.",
    "err_condition_unknown": "Pick a condition from the buttons.",
    "err_disk_full": (
        "The server's disk is full, so this could not be saved. Nothing you had is lost; "
        "try again later."
    ),
    "err_generic": "Something went wrong on my side. Please try again; if it persists, "
    "tell the bot's owner.",
    "err_field_unknown": "That field cannot be edited.",
    "err_value_too_long": "That is too long: {count} characters, {max} at most.",
    "err_size_too_long": "That size is too long: {count} characters, {max} at most.",
    "err_photos_missing": "This draft has no photos left.",
    "err_photo_not_found": "There is no photo {number}: this draft has {count}.",
    "csv_id": "No.",
    "csv_status": "Status",
    "csv_price_target": "Price",
    "csv_price_min": "Lowest price",
    "csv_price_max": "Highest price",
    "csv_ready": "Ready",
    "csv_missing": "Missing",
    "csv_url": "Vinted link",
    "csv_created": "Created",
    "csv_yes": "yes",
    "csv_no": "no",
    "export_part": "Part {n} of {total}.",
    "export_failed": (
        "The export could not be written (the server's disk may be full). Nothing was "
        "lost; try again later."
    ),
    "export_too_big": "Your export is {size} MB, over Telegram's 50 MB limit for "
    "bots. Delete old drafts, or ask the bot's owner for the file.",
    # --- Vinted session and publishing ------------------------------------------------------
    "cmd_connect": "Connect your Vinted account",
    "cmd_disconnect": "Forget your Vinted session",
    "cmd_status": "Vinted session and queue",
    "cmd_check": "Check Vinted's upload page",
    "connect_help": (
        "<b>Connect your Vinted account</b>\n1. On a computer, open {site} and log in.\n2. "
        "Copy your cookies, either way:\n- DevTools (F12) > Network > reload > click the "
        "first request > Request headers > copy the whole <i>Cookie</i> value (name=value; "
        "name2=value2 ...);\n- or a cookie-editor extension > Export > JSON.\n3. Paste "
        "them here in one message (or send the exported .json file), or send /connect "
        "followed by the cookies.\n\nI delete that message at once and keep the cookies "
        "encrypted; they are never shown again. /cancel to stop."
    ),
    "connect_checking": "Checking your Vinted session...",
    "connect_ok": (
        "Connected to Vinted as <b>{username}</b>. Approved drafts will be published on "
        "this account."
    ),
    "connect_delete_yourself": (
        "⚠️ I could not delete your message with the cookies: please delete it yourself"
        " (long press, Delete), they give access to your Vinted account."
    ),
    "connect_deleted_note": "(I deleted your message with the cookies.)",
    "cookies_empty": "That message is empty. Paste your Vinted cookies, or /cancel.",
    "cookies_unrecognised": (
        "I could not read these cookies. Expected either a Cookie header (name=value; "
        "name2=value2 ...) or the JSON export of a cookie-editor extension."
    ),
    "cookies_bad_json": (
        "That JSON is not valid (a long export may have been cut in two: send it as a "
        ".json file instead)."
    ),
    "cookies_wrong_site": "These cookies are not Vinted's. Copy them while {site} is open.",
    "cookies_no_login_cookie": (
        "These cookies hold no Vinted login (access_token_web or refresh_token_web). Copy "
        "them while logged in on Vinted."
    ),
    "session_unreadable": (
        "Your saved Vinted session cannot be read (the bot's key changed?). Please /connect again."
    ),
    "vinted_session_expired": (
        "Vinted says this session is logged out or expired. Copy fresh cookies from a "
        "logged-in browser and /connect again."
    ),
    "vinted_captcha": (
        "Vinted asks for a captcha check. Open Vinted in your browser, solve it, then try again."
    ),
    "vinted_verification": (
        "Vinted asks you to verify your account (phone or e-mail). Do it in the Vinted "
        "app, then try again."
    ),
    "vinted_rate_limited": "Vinted is limiting requests right now. Try again later.",
    "vinted_browser": "The browser that talks to Vinted could not start. Try again in a moment.",
    "vinted_network": "Vinted could not be reached. Try again in a moment.",
    "vinted_timeout": "Vinted did not answer in time. Try again in a moment.",
    "vinted_page_changed": "Vinted's page did not look as expected (step: {step}).",
    "vinted_field_rejected": "Vinted refused the {field}: {message}",
    "disconnected": "Your Vinted session is deleted. /connect to add one again.",
    "not_connected": "No Vinted account is connected. /connect to add one.",
    "status": (
        "<b>Vinted</b>: {username}\nLast check: {checked}\nLast publish: "
        "{published}\nMode: {mode}\n\n<b>Queue</b>: {queued} waiting, {today} published "
        "today (cap {cap})\nNext publish: {next}"
    ),
    "status_not_published": "Not published: {count} {count|draft|drafts} (see /queue)",
    "status_never": "never",
    "status_paused": "Paused: {reason}",
    "status_not_scheduled": "nothing waiting",
    "status_now": "at the next check (within a minute)",
    "mode_publish": "publish directly",
    "mode_draft": "save as Vinted drafts",
    "btn_mode_publish": "Publish directly",
    "btn_mode_draft": "Save as Vinted drafts",
    "check_running": "Checking Vinted's upload page...",
    "check_ok": "Vinted's upload page has everything I need.",
    "check_missing": (
        "Vinted's upload page changed: these parts are missing: {selectors}. Publishing "
        "may fail until the bot is updated."
    ),
    "published_msg": "Published on Vinted: <b>{title}</b>\n{url}",
    "saved_draft_msg": (
        "Saved as a draft in your Vinted account: <b>{title}</b>. Finish it in the Vinted app."
    ),
    "btn_open_card": "Show the card",
    "todo_field": "Fix the “{field}” field with Edit, then tap Retry.",
    "todo_field_category": "Vinted has no category for this item: choose one.",
    "todo_field_photos": "Check the item's photos, then tap Retry.",
    "todo_field_push_up": "Vinted offered the paid boost: nothing was paid or listed. Tap Retry.",
    "todo_field_form": "Check the listing with Edit, then tap Retry.",
    "todo_network": "Vinted did not answer: tap Retry in a few minutes.",
    "todo_timeout": "Vinted took too long: tap Retry in a few minutes.",
    "todo_browser": "Tap Retry in a few minutes.",
    "todo_page_changed": "Vinted's page changed: try again later, or list this item by hand.",
    "todo_draft_missing": "Look in your Vinted drafts: if the copy is gone, relist it by hand.",
    "todo_lookup_doubt": "Look at your Vinted wardrobe: if the listing is not there, tap Retry.",
    "todo_interrupted": "Tap Retry: the item will not be listed twice.",
    "todo_rate_limited": "Vinted is limiting uploads: tap Retry in an hour.",
    "todo_session_missing": "Connect your Vinted account with /connect, then tap Retry.",
    "todo_session_unreadable": "Reconnect your account with /connect, then tap Retry.",
    "todo_session_expired": "Reconnect your account with /connect, then tap Retry.",
    "todo_captcha": "Open Vinted in your browser, solve the check, then tap Retry.",
    "todo_verification": "Open Vinted in your browser, confirm, then tap Retry.",
    "todo_unknown": "Tap Retry; if it happens again, list this item by hand.",
    "publish_failed_msg": "Publishing <b>{title}</b> failed: {reason}",
    "publish_retrying": (
        "Publishing <b>{title}</b> hit a problem ({reason}); I will try again at {when}."
    ),
    "paused_captcha": (
        "Vinted asks for a captcha check on your account, so publishing is paused. Open "
        "Vinted in your browser, solve it, then tap Resume. Nothing is lost."
    ),
    "paused_session_expired": (
        "Your Vinted session expired, so publishing is paused. Send /connect with fresh "
        "cookies, then tap Resume. Nothing is lost."
    ),
    "paused_verification": (
        "Vinted asks you to verify your account, so publishing is paused. Do it in the "
        "Vinted app, then tap Resume. Nothing is lost."
    ),
    "paused_lookup_failed": (
        "A publish was cut off and I cannot check on Vinted whether the listing was made, "
        "so publishing is paused to avoid a duplicate. Check your Vinted wardrobe, then tap "
        "Resume: I look again first. Nothing is lost."
    ),
    "paused_rate_limited": "Vinted is limiting requests: publishing pauses until {when}.",
    "btn_resume": "Resume",
    "resumed": "Publishing resumed.",
    "queue_next": "Next publish: {when}",
    "queue_paused": "Paused: {reason}",
    "stats_failures": "Publish failures by reason: {reasons}",
    "stats_market_header": "Asking price / sold median, by month:",
    "stats_market_month": "{month}: {asked} / {sold} ({gap}), {count} {count|listing|listings}",
    "reason_captcha": "captcha",
    "reason_session_expired": "session expired",
    "reason_verification": "verification required",
    "reason_rate_limited": "rate limited",
    "reason_field_rejected": "a field was refused",
    "reason_page_changed": "Vinted's page changed",
    "reason_network": "network problem",
    "reason_browser": "the browser could not start",
    "reason_lookup_failed": "Vinted could not be checked",
    "reason_unknown": "an unexpected problem",
    "reason_interrupted": "the publish was cut off",
    "reason_session_missing": "no Vinted account connected",
    "reason_session_unreadable": "the Vinted session must be connected again",
    "reason_draft_missing": "its copy is no longer in your Vinted drafts",
    "reason_lookup_doubt": "several listings on Vinted could be this one",
    "reason_timeout": "timeout",
    "cmd_dryrun": "Fill Vinted's form without publishing",
    "cmd_at": "Publish a draft at a given time",
    "usage_dryrun": (
        "Send /dryrun followed by a draft number (the # on its card), e.g. /dryrun 12."
    ),
    "dryrun_running": "Filling Vinted's form with draft #{id}, without publishing...",
    "dryrun_done": (
        "Dry run of #{id}: every field filled, nothing published. This is what Vinted showed."
    ),
    "dryrun_failed": "The dry run of #{id} stopped: {reason}",
    "draft_missing_field": "This draft cannot go to Vinted yet: the {field} is missing.",
    "usage_at": (
        "Send /at, a draft number and a time, e.g. /at 12 18:30 or /at 12 28/11 18:30 (/at "
        "12 - to publish as soon as its turn comes)."
    ),
    "at_set": "Draft #{id} will be published at {when} at the earliest.",
    "at_cleared": "Draft #{id} will be published as soon as its turn comes.",
    "at_not_queued": "Draft #{id} is not waiting to be published: approve it first.",
    "cmd_regen": "Analyse a draft again with a hint",
    "usage_regen": (
        "Send /regen, a draft number and what you know, e.g. /regen 12 Zara, size M, worn twice."
    ),
}
