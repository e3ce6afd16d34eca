"""Every user-facing string of the bot, in French. Keys must match en.py."""

# French typography: a space before ":", "?", "!", ";" and "%"; "vous", never "tu".
TEXTS: dict[str, str] = {
    # --- access ---------------------------------------------------------------------------------
    "refused": "Désolé, ce bot est privé. Demandez à son propriétaire d'ajouter votre identifiant "
    "Telegram ({user_id}).",
    "paired": "Vous êtes maintenant le propriétaire de ce bot. Envoyez-moi des photos de "
    "vêtements pour commencer.",
    "pairing_too_many": (
        "Trop de codes erronés : l'appairage est désactivé. Redémarrez le bot pour obtenir un"
        " nouveau code dans son journal."
    ),
    "pairing_taken": "Ce bot a déjà son propriétaire : il est privé.",
    "pairing_wrong": "Ce code d'appairage n'est pas le bon. Vous le trouverez dans le journal du "
    "bot.",
    # --- start / help -------------------------------------------------------------------------
    "welcome": (
        "<b>Bonjour {name} !</b> Je transforme les photos de vos vêtements en annonces Vinted.\n\n"
        "1. Envoyez des photos : en album ou une par une, plusieurs articles à la fois si vous "
        "voulez (les photos HEIC d'iPhone envoyées en fichier passent aussi). Une légende aide : "
        "<i>Zara, taille M, porté deux fois</i>.\n"
        "2. Je réponds avec une fiche brouillon par article : vérifiez-la, modifiez-la avec les "
        "boutons ou en répondant à la fiche avec vos mots (<i>prix 25, petite tache sur la "
        "manche</i>).\n"
        "3. Appuyez sur <b>Valider</b> : le brouillon rejoint votre file de publication.\n\n"
        "/help liste toutes les commandes."
    ),
    "help": (
        "<b>Commandes</b>\n"
        "/drafts - vos brouillons en cours\n"
        "/queue - les brouillons validés en attente de publication\n"
        "/one - les prochaines photos forment un seul article\n"
        "/regen 12 Zara, M - réanalyser le brouillon #12 avec votre indication\n"
        "/stats - les chiffres du mois\n"
        "/export - un ZIP de vos brouillons et de leurs photos\n"
        "/settings - langues, regroupement, publication ou brouillons, remise en ligne\n"
        "/connect - connecter votre compte Vinted ; /disconnect pour l'oublier\n"
        "/status - votre session Vinted et la file de publication\n"
        "/check - vérifier que la page de dépôt Vinted a ce qu'il me faut\n"
        "/dryrun 12 - remplir le formulaire Vinted avec le brouillon #12 sans publier\n"
        "/at 12 18:30 - publier le brouillon #12 au plus tôt à 18:30\n"
        "/cancel - annuler l'action en cours\n\n"
        "Envoyez des photos à tout moment. Pour modifier un brouillon, répondez à sa fiche avec "
        "vos mots."
    ),
    "hint_send_photos": "Envoyez-moi des photos de vêtements pour créer des annonces, ou /help.",
    "unknown_command": "Je ne connais pas cette commande. /help liste ce que je sais faire.",
    "cancelled": "Annulé.",
    "nothing_to_cancel": "Rien à annuler.",
    "one_armed": "OK : les prochaines photos envoyées formeront un seul article.",
    # --- commands menu ------------------------------------------------------------------------
    "cmd_start": "Comment ça marche",
    "cmd_help": "Commandes",
    "cmd_drafts": "Brouillons en cours",
    "cmd_queue": "File de publication",
    "cmd_one": "Prochaines photos : un seul article",
    "cmd_stats": "Les chiffres du mois",
    "cmd_export": "Exporter brouillons et photos",
    "cmd_settings": "Langues et regroupement",
    "cmd_cancel": "Annuler",
    # --- receiving photos ---------------------------------------------------------------------
    "batch_receiving": "Réception des photos...",
    "batch_received": "{count} {count|photo reçue|photos reçues}, analyse en cours...",
    "batch_received_one": "1 photo reçue, analyse en cours...",
    "batch_progress": (
        "Analyse de {total} photos...\nPhotos examinées : {photos}/{total}\n"
        "Articles trouvés : {items}\nBrouillons rédigés : {drafts}/{items}"
    ),
    "batch_done": "Terminé : {drafts} {drafts|brouillon|brouillons} à partir de {photos} "
    "{photos|photo|photos} ({ready} {ready|prêt|prêts} à "
    "valider).",
    "batch_empty": "Aucun de ces fichiers n'est utilisable : il n'y a rien à analyser.",
    "batch_failed": "L'analyse de ces photos s'est arrêtée : {reason}",
    "batch_full": "Un lot contient au maximum {limit} photos : les suivantes n'ont pas été "
    "gardées. Renvoyez-les une fois ce lot terminé.",
    "skipped_header": "Fichiers ignorés :",
    "skipped_more": "- et {count} {count|autre|autres} ({reason})",
    "skipped_line": "- {name} : {reason}",
    "skip_disk_full": "le serveur n'a plus de place pour l'enregistrer ; renvoyez-la plus tard",
    "skip_video": "une vidéo, pas une photo",
    "skip_sticker": "un sticker, pas une photo",
    "skip_animation": "une animation, pas une photo",
    "skip_voice": "un message vocal, pas une photo",
    "skip_audio": "un fichier audio, pas une photo",
    "skip_too_big": "plus de 20 Mo, trop lourd pour les bots Telegram ; envoyez-le plutôt comme "
    "photo",
    "skip_empty": "le fichier est vide",
    "skip_not_image": "ce n'est pas une image",
    "skip_corrupt": "le fichier est endommagé ou incomplet",
    "skip_too_large": "le fichier est trop volumineux",
    "skip_too_many_pixels": "l'image a beaucoup trop de pixels",
    "skip_duplicate": "cette photo a déjà été envoyée",
    "skip_download": "téléchargement depuis Telegram impossible",
    "retry": "Réessayer",
    # --- cards --------------------------------------------------------------------------------
    "card_price": "<b>{target}</b> (fourchette {min} - {max})",
    "card_fact": "{label} : {value}",
    "card_brand": "Marque",
    "card_no_brand": "sans marque",
    "card_category": "Catégorie",
    "card_size": "Taille",
    "card_condition": "État",
    "card_colours": "Couleurs",
    "card_material": "Matière",
    "card_defects": "Défauts",
    "card_to_confirm": "à confirmer",
    "card_ready": "Prêt à publier",
    "card_missing": "À corriger : {items}",
    "card_approved": "Validé : en attente dans la file de publication",
    "card_queued": "Dans la file de publication",
    "card_publishing": "Publication sur Vinted...",
    "card_published": "Publié sur Vinted : {url}",
    "left_out_field": "{field} « {value} »",
    "left_out_line": (
        "Laissé vide sur Vinted, absent de sa liste : {fields}. Complétez l'annonce sur Vinted"
        " si besoin."
    ),
    "card_failed": "Échec de l'analyse : {reason}",
    "card_publish_failed": "Échec de la publication : {reason}",
    "card_deleted": "Brouillon supprimé.",
    "card_moved": "Fiche rouverte plus bas.",
    "btn_approve_ready": "Valider les {count} prêts",
    "btn_approve_one": "Valider le brouillon prêt",
    "btn_confirm_approve_ready": "Oui, valider {count} {count|brouillon|brouillons}",
    "btn_undo_approve_ready": "↩️ Annuler ces validations",
    "bulk_confirm": "{count} {count|brouillon prêt|brouillons prêts} : confirmez pour valider.",
    "bulk_none_ready": "Aucun brouillon de ce lot n'est prêt à valider.",
    "bulk_approved": "{count} {count|brouillon validé|brouillons validés}, en file d'attente.",
    "bulk_undone": "{count} {count|validation annulée|validations annulées}.",
    "drafts_filter_all": "Tous",
    "drafts_filter_ready": "Prêts",
    "drafts_filter_confirm": "À compléter",
    "drafts_filter_failed": "Échoués",
    "voice_no_card": (
        "Pour modifier une fiche à la voix, répondez-lui avec votre message vocal "
        "(ou envoyez-le juste après avoir appuyé sur Modifier)."
    ),
    "voice_too_long": "Ce message vocal est trop long : {max} secondes au plus, s'il vous plaît.",
    "voice_failed": (
        "Je n'ai pas pu écouter ce message vocal. La fiche n'a pas changé ; "
        "réessayez ou écrivez la modification."
    ),
    "voice_empty": "Je n'ai rien entendu dans ce message vocal. La fiche n'a pas changé.",
    "voice_heard": "🎙 J'ai compris : « {text} »",
    "price_basis_sold": (
        "{count} {count|vendu|vendus} en {days} jours : de {low} à {high}, médiane {median}"
    ),
    "price_basis_rules": "Prix selon les règles : {brand}, {condition}",
    "price_basis_not_connected": "connectez Vinted (/connect) pour les prix des ventes",
    "price_basis_unavailable": "les données de Vinted n'ont pas pu être lues",
    "price_basis_no_category": "catégorie Vinted pas encore connue",
    "price_basis_few": "aucune vente comparable récente",
    "btn_vinted_price": "Prix Vinted : {price}",
    "card_merged": "{albums} albums → 1 article",
    "card_merged_loose": (
        "{albums} {albums|album|albums} + {loose} {loose|photo|photos} → 1 article"
    ),
    "card_lookalike": "⚠️ Ressemble au #{id}, publié le {date} : déjà en vente ?",
    "months_short": "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.",
    "btn_split": "Séparer les albums",
    "splitting": "Séparation en {count} {count|article|articles}...",
    "split_done": "Séparé en {count} {count|article|articles} : les autres fiches suivent.",
    "err_split_single": "Ces photos viennent d'un seul album : rien à séparer.",
    "err_split_pending": "Analyse interrompue : appuyez sur Réessayer.",
    "card_deleted_undo": "Brouillon supprimé. Vous pouvez le rétablir pendant 48 h.",
    "btn_restore": "Rétablir le brouillon",
    "restored": "Brouillon rétabli.",
    "restored_to_approve": "Brouillon rétabli : validez-le de nouveau pour le publier.",
    "err_restore_gone": "Ce brouillon ne peut plus être rétabli.",
    "card_photos_count": "{count} {count|photo|photos}",
    "card_changes": "Modifications : {changes}",
    "btn_approve": "Valider",
    "btn_edit": "Modifier",
    "btn_regenerate": "Régénérer",
    "btn_delete": "Supprimer",
    "btn_photos": "Photos ({count})",
    "btn_back": "Retour",
    "btn_undo": "Annuler la validation",
    "btn_retry": "Réessayer",
    "btn_confirm_delete": "Oui, supprimer",
    "btn_other_size": "Autre taille",
    "btn_open": "#{id} {title}",
    "btn_prev": "Précédent",
    "btn_next": "Suivant",
    "field_title": "Titre",
    "field_description": "Description",
    "field_price": "Prix",
    "field_brand": "Marque",
    "field_size": "Taille",
    "field_condition": "État",
    "field_category": "Catégorie",
    "field_colours": "Couleurs",
    "field_material": "Matière",
    "field_cover": "Photos / couverture",
    "field_hashtags": "Hashtags",
    "field_defects": "Défauts",
    "field_measurements": "Mesures",
    # Conditions, worded as on Vinted France
    "cond_new_with_tags": "Neuf avec étiquette",
    "cond_new_without_tags": "Neuf sans étiquette",
    "cond_very_good": "Très bon état",
    "cond_good": "Bon état",
    "cond_satisfactory": "Satisfaisant",
    # Missing keys, in plain words
    "missing_title_missing": "un titre",
    "missing_title_too_long": "un titre plus court (70 caractères maximum)",
    "missing_title_broken": "un titre lisible (celui réparé en dit trop peu)",
    "missing_description_missing": "une description",
    "missing_description_invalid": "une description de quelques lignes factuelles",
    "missing_description_too_long": "une description de 2 000 caractères au plus",
    "missing_hashtags_invalid": "3 à 5 hashtags",
    "missing_emoji": "pas d'emoji",
    "missing_marketing_phrases": "pas de formules commerciales",
    "missing_size_to_confirm": "la taille (non visible sur les photos)",
    "missing_condition_to_confirm": "l'état",
    "missing_category_missing": "une catégorie",
    "missing_price_invalid": "un prix",
    # --- draft actions ------------------------------------------------------------------------
    "edit_menu": "Que voulez-vous modifier ?",
    "ask_value": "Envoyez la nouvelle valeur pour « {field} ».",
    "ask_value_current": "Envoyez la nouvelle valeur pour « {field} » (actuellement : {current}).",
    "ask_title": "Envoyez le nouveau titre (70 caractères maximum).",
    "ask_price": "Envoyez le nouveau prix en euros, par ex. 25 ou 25,50.",
    "ask_brand": "Envoyez la marque, ou - si l'article n'en a pas.",
    "ask_colours": "Envoyez une ou deux couleurs, par ex. bleu, blanc.",
    "ask_category": "Envoyez un mot de la catégorie (par ex. jeans, sweat, robe).",
    "field_marketplace_category": "catégorie Vinted",
    "pick_marketplace_category": "Choisissez la catégorie Vinted de cet article :",
    "btn_other_marketplace_category": "Autre catégorie…",
    "btn_marketplace_category": "Catégorie Vinted",
    "card_category_to_choose": "à choisir sur Vinted",
    "marketplace_category_set": "Catégorie Vinted : {path}",
    "marketplace_category_unknown": (
        "Connectez d'abord votre compte Vinted (/connect) : ses catégories viennent de lui."
    ),
    "btn_up": "⬅ Niveau précédent",
    "pick_category": "Quelle catégorie ?",
    "no_category_match": "Aucune catégorie ne correspond à « {query} ». Essayez un autre mot "
    "(par ex. jeans, manteau).",
    "pick_condition": "Quel état ?",
    "pick_size": "Quelle taille ?",
    "ask_other_size": "Envoyez la taille indiquée sur l'étiquette (par ex. 38, M, W32 L34).",
    "pick_cover": "Appuyez sur la photo à mettre en couverture.",
    "cover_set": "Photo de couverture modifiée.",
    # --- a draft's photos, from its card ----------------------------------------------------
    "btn_photo_earlier": "⬅️ Avant",
    "btn_photo_later": "Après ➡️",
    "btn_photo_to": "→ {count}",
    "btn_photo_to_cover": "→ Couverture",
    "btn_photo_remove": "🗑 Retirer cette photo",
    "btn_photo_back": "Retour aux photos",
    "btn_photo_undo": "↩️ Remettre la photo",
    "btn_photos_show": "🖼 Les revoir numérotées",
    "btn_photos_add": "➕ Ajouter des photos",
    "photos_menu": "Appuyez sur le numéro d'une photo pour la déplacer ou la retirer (la photo 1 "
    "est la couverture). Pour ajouter des photos, répondez à cette fiche avec elles.",
    "photos_add_how": "Répondez à cette fiche avec les photos à ajouter : {max} photos au plus "
    "en tout.",
    "photo_picked": "Photo {number} sur {count} : déplacez-la ou retirez-la.",
    "photo_moved": "La photo {before} est maintenant la photo {after}.",
    "photo_moved_cover": "La photo {before} est maintenant la couverture.",
    "photo_not_moved": "Elle y est déjà.",
    "photo_removed": "Photo {number} retirée : {count} {count|photo reste|photos restent}.",
    "photo_put_back": "La photo {number} est revenue.",
    "photos_added_note": "{added} {added|photo ajoutée|photos ajoutées} : {count} en tout.",
    "photos_added": "Brouillon #{id} : {added} {added|photo ajoutée|photos ajoutées}, {count} "
    "en tout.",
    "photos_not_added": "Non ajoutées au brouillon #{id} :",
    "photos_locked": "Le brouillon #{id} est en cours de publication ou publié : ses photos ne "
    "peuvent plus changer.",
    "skip_on_draft": "déjà sur ce brouillon",
    "skip_listing_full": "l'annonce est complète ({max} photos au plus sur Vinted)",
    "err_photo_gone": "Cette photo n'est plus sur ce brouillon : rouvrez ses photos.",
    "err_photo_last": "Une annonce a besoin d'au moins une photo : ajoutez-en une autre avant "
    "de retirer celle-ci.",
    "err_photos_full": "Une annonce Vinted prend {max} photos au plus : ce brouillon en a "
    "{count}.",
    "err_photo_duplicate": "Cette photo est déjà sur le brouillon (photo {number}).",
    "field_updated": "{field} : {before} -> {after}",
    "edited": "Mis à jour.",
    "btn_undo_edit": "↩️ Annuler la modification",
    "edit_undone": "Modification annulée.",
    "err_undo_unavailable": "Il n'y a rien à annuler sur ce brouillon.",
    "err_undo_stale": "Le brouillon a changé depuis : je ne peux plus annuler. Modifiez-le "
    "directement.",
    "followed_line": "{field} : « {before} » -> « {after} »",
    "still_stated": "La description dit encore « {line} » : corrigez-la (Modifier, puis "
    "Description).",
    "unapplied_unchanged": "Pas appliqué : {field} (je n'ai pas compris la nouvelle valeur).",
    "unapplied_defect_not_found": "« {value} » n'est pas dans l'annonce : rien à retirer.",
    "approved_connect_first": (
        "Validé. Connectez votre compte Vinted avec /connect pour publier : le brouillon "
        "attend dans la file d'ici là."
    ),
    "approved": "Validé. Le brouillon rejoint la file de publication.",
    "approve_already": "Ce brouillon est déjà validé.",
    "approve_not_ready": "Pas encore prêt à publier. Il manque : {items}.",
    "approve_confirm_first": "Avant de valider, merci de confirmer : {items}.",
    "undone": "Validation annulée : le brouillon est de nouveau modifiable.",
    "confirm_delete": "Supprimer ce brouillon ? Ses photos restent dans votre export jusqu'à la "
    "purge.",
    "deleted": "Brouillon supprimé.",
    "regenerating": "Nouvelle analyse des photos...",
    "regenerated": "Nouvelle version rédigée.",
    "regenerating_card": "Nouvelle version en cours...",
    "regenerated_same": "Nouvelle version rédigée : rien n'a changé.",
    "regenerated_description": "Description réécrite.",
    "regenerate_failed": "Pas de nouvelle version, l'annonce reste comme avant.\n{reason}",
    "draft_gone": "Ce brouillon n'existe plus.",
    "old_button": "Ce bouton a expiré. Utilisez /drafts pour rouvrir une fiche.",
    "not_yours": "Ce brouillon n'est pas le vôtre.",
    "edit_applying": "Modification en cours...",
    "edit_nothing": "Je n'ai rien trouvé à modifier dans ce message.",
    "edit_needs_reapproval": "Le brouillon est repassé en modification : validez-le à nouveau "
    "quand il est prêt.",
    "queue_empty": "Aucun brouillon validé en attente.",
    "queue_header": "<b>File de publication</b> ({count})",
    "queue_failed_header": "<b>Non publiés</b> ({count})",
    "queue_failed_line": "#{id} {title} : {reason}",
    "btn_retry_id": "Réessayer #{id}",
    "btn_open_id": "Ouvrir #{id}",
    "queue_line": "{pos}. #{id} {title} - {price}",
    "drafts_empty": "Aucun brouillon en cours. Envoyez des photos pour en créer.",
    "drafts_header": "<b>Vos brouillons</b> ({count}), page {page}/{pages} :",
    "status_draft": "brouillon",
    "status_approved": "validé",
    "status_queued": "en file d'attente",
    "status_publishing": "publication en cours",
    "status_published": "publié",
    "status_failed": "échec",
    "status_ready": "prêt",
    "status_to_fix": "à corriger",
    # --- stats / export / settings ------------------------------------------------------------
    "stats": (
        "<b>Ce mois-ci</b>\n"
        "Photos analysées : {photos}\n"
        "Brouillons : {drafts} ({ready_share} % prêts du premier coup)\n"
        "Publiés : {published}\n"
        "Échecs : {failed}\n"
        "Tokens IA : {tokens} (environ {cost})"
    ),
    "export_building": "Préparation de votre export...",
    "export_caption": "Vos brouillons (JSON et CSV) et leurs photos.",
    "export_empty": "Rien à exporter pour l'instant.",
    "settings": (
        "<b>Paramètres</b>\n"
        "Langue des annonces : {listing}\n"
        "Langue de l'interface : {ui}\n"
        "Regroupement : {grouping}"
    ),
    "set_listing_language": "Annonces en {value}",
    "set_ui_language": "Interface en {value}",
    "grouping_auto": "automatique (l'IA regroupe les photos par article)",
    "grouping_album": "un article par album",
    "btn_grouping_auto": "Regrouper : automatique",
    "btn_grouping_album": "Regrouper : par album",
    # Lower case: French writes language names that way mid-sentence ("Annonces en français").
    "lang_fr": "français",
    "lang_en": "anglais",
    "lang_de": "allemand",
    "settings_mode": "Vinted : {mode}",
    "settings_saved": "Enregistré.",
    "settings_relist": (
        "Remise en ligne : {mode}, après {days} jours sans vente (prix -{percent} %)"
    ),
    "settings_relist_off": "Remise en ligne : désactivée",
    "relist_mode_ask": "je vous demande une fois par jour",
    "relist_mode_auto": "automatique",
    "btn_relist_mode_off": "Remise en ligne : non",
    "btn_relist_mode_ask": "Remise en ligne : me demander",
    "btn_relist_mode_auto": "Remise en ligne : auto",
    "btn_relist_days": "{count} j",
    "settings_footer": "Pied d'annonce : {footer}",
    "settings_footer_none": "aucun",
    "btn_footer": "Pied d'annonce…",
    "btn_footer_remove": "Retirer le pied d'annonce",
    "footer_ask": (
        "<b>Votre pied d'annonce</b> : les lignes ajoutées à la fin de chaque description "
        "à la publication (« Envoi sous 24 h », « Lot possible »).\n"
        "Envoyez-les, une par ligne : {lines} lignes de {chars} caractères au plus. Ni lien, "
        "ni adresse e-mail, ni numéro de téléphone : Vinted interdit les coordonnées.\n"
        "Envoyez - pour retirer votre pied d'annonce, /cancel pour le garder tel quel."
    ),
    "footer_saved": (
        "Pied d'annonce enregistré. Chaque description se terminera par :\n<i>{footer}</i>"
    ),
    "footer_removed": "Pied d'annonce retiré : les descriptions sont publiées telles quelles.",
    "footer_drafts_too_long": (
        "{count} {count|brouillon demande|brouillons demandent} désormais une description "
        "plus courte : avec le pied d'annonce, {count|il dépasse|ils dépassent} {max} "
        "caractères."
    ),
    "footer_empty": (
        "Ce pied d'annonce est vide. Envoyez ses lignes, - pour le retirer, ou /cancel."
    ),
    "footer_too_many_lines": (
        "Cela fait {count} lignes : {max} au plus, s'il vous plaît. Renvoyez-le."
    ),
    "footer_line_too_long": (
        "La ligne {line} fait {count} caractères : {max} au plus, s'il vous plaît. "
        "Renvoyez le pied d'annonce."
    ),
    "footer_email": (
        "La ligne {line} contient une adresse e-mail : Vinted interdit les coordonnées dans "
        "une annonce. Renvoyez le pied d'annonce sans elle."
    ),
    "footer_link": (
        "La ligne {line} contient un lien : Vinted interdit les liens et les coordonnées dans "
        "une annonce. Renvoyez le pied d'annonce sans lui."
    ),
    "footer_phone": (
        "La ligne {line} contient un numéro de téléphone : Vinted interdit les coordonnées "
        "dans une annonce. Renvoyez le pied d'annonce sans lui."
    ),
    "footer_handle": (
        "La ligne {line} contient un nom de compte en @ : Vinted interdit les coordonnées "
        "dans une annonce. Renvoyez le pied d'annonce sans lui."
    ),
    "footer_hashtag": (
        "La ligne {line} contient un hashtag : les hashtags vont avec ceux de l'annonce. "
        "Renvoyez le pied d'annonce sans lui."
    ),
    "card_footer": "+ votre pied d'annonce : {footer}",
    # --- remise en ligne ----------------------------------------------------------------------
    "relist_offer": (
        "<b>{count} de vos annonces {count|ne s'est pas vendue|ne se sont pas vendues} en "
        "{days} jours.</b> {count|La remettre|Les remettre} en ligne ?"
    ),
    "relist_auto": (
        "<b>Remise en ligne de {count} {count|annonce invendue|annonces invendues} depuis "
        "{days} jours</b> (automatique) :"
    ),
    "relist_line": "• {title} : {price}",
    "relist_line_drop": "• {title} : {old} → {new}",
    "relist_more": "… et {count} de plus",
    "relist_how": (
        "Une annonce neuve remonte en tête des recherches. J'enregistre une copie en brouillon "
        "Vinted, je supprime l'ancienne annonce, puis je publie la copie, au rythme de vos "
        "publications."
    ),
    "btn_relist_all": "Remettre les {count}",
    "btn_relist_one": "La remettre en ligne",
    "btn_relist_later": "Plus tard",
    "relist_accepted": (
        "{count} {count|annonce|annonces} à remettre en ligne, au rythme de vos publications : "
        "je vous enverrai chaque "
        "nouveau lien. La remise en ligne automatique s'active dans /settings."
    ),
    "relist_snoozed": "D'accord : je vous les proposerai de nouveau dans une semaine.",
    "relist_nothing": "Plus rien à remettre en ligne depuis ce message.",
    "relisted_msg": "Remis en ligne sur Vinted : <b>{title}</b> à {price}\n{url}",
    "relist_gone": (
        "<b>{title}</b> n'est plus dans votre dressing (vendu ou retiré) : pas de remise en ligne."
    ),
    "relist_failed_kept": (
        "Impossible de remettre <b>{title}</b> en ligne ({reason}). Votre annonce reste telle "
        "quelle."
    ),
    "relist_failed_down": (
        "Impossible de terminer la remise en ligne de <b>{title}</b> ({reason}). Sa copie vous "
        "attend dans vos brouillons Vinted : ouvrez-la sur Vinted pour la publier."
    ),
    "relist_stuck": (
        "La remise en ligne de <b>{title}</b> prend du temps ({reason}) : l'ancienne annonce est "
        "supprimée et sa copie attend dans vos brouillons Vinted. Je continue d'essayer."
    ),
    # --- errors -------------------------------------------------------------------------------
    "err_ai_unavailable": "le service d'IA est indisponible pour le moment, appuyez sur "
    "Réessayer dans un instant",
    "err_ai_rate_limited": "le service d'IA est saturé (trop de requêtes), appuyez sur Réessayer "
    "dans une minute",
    "err_ai_bad_answer": "l'IA a donné une réponse inutilisable, appuyez sur Réessayer",
    "err_price_invalid": "Ce n'est pas un prix. Envoyez un montant en euros, par ex. 25 ou 25,50.",
    "err_title_too_long": "Ce titre fait {count} caractères : 70 maximum, s'il vous plaît.",
    "err_description_too_long": (
        "Cette description fait {count} caractères : {max} maximum, s'il vous plaît."
    ),
    "err_value_empty": "Merci d'envoyer une valeur.",
    "err_draft_not_found": "Ce brouillon n'existe plus.",
    "err_not_editable": "Ce brouillon ne peut pas être modifié maintenant (il est en cours de "
    "publication ou déjà publié).",
    "err_nothing_to_edit": "Je n'ai rien trouvé à modifier dans ce message.",
    "err_category_unknown": "Catégorie inconnue : choisissez-en une dans la liste.",
    "err_too_many_colours": "Deux couleurs maximum, s'il vous plaît.",
    "err_condition_unknown": "Choisissez un état avec les boutons.",
    "err_disk_full": (
        "Le disque du serveur est plein : ceci n'a pas pu être enregistré. Rien de ce que "
        "vous aviez n'est perdu ; réessayez plus tard."
    ),
    "err_generic": "Un problème est survenu de mon côté. Réessayez ; si cela persiste, prévenez "
    "le propriétaire du bot.",
    "err_field_unknown": "Ce champ ne peut pas être modifié.",
    "err_value_too_long": "C'est trop long : {count} caractères, {max} au maximum.",
    "err_size_too_long": "Cette taille est trop longue : {count} caractères, {max} au maximum.",
    "err_photos_missing": "Ce brouillon n'a plus de photos.",
    "err_photo_not_found": "Il n'y a pas de photo {number} : ce brouillon en a {count}.",
    "csv_id": "N°",
    "csv_status": "Statut",
    "csv_price_target": "Prix",
    "csv_price_min": "Prix minimum",
    "csv_price_max": "Prix maximum",
    "csv_ready": "Prêt",
    "csv_missing": "Manque",
    "csv_url": "Lien Vinted",
    "csv_created": "Créé le",
    "csv_yes": "oui",
    "csv_no": "non",
    "export_part": "Partie {n} sur {total}.",
    "export_failed": (
        "L'export n'a pas pu être écrit (le disque du serveur est peut-être plein). Rien "
        "n'est perdu ; réessayez plus tard."
    ),
    "export_too_big": "Votre export fait {size} Mo, au-delà de la limite de 50 Mo de Telegram "
    "pour les bots. Supprimez d'anciens brouillons, ou demandez le fichier au propriétaire "
    "du bot.",
    # --- Vinted session and publishing ------------------------------------------------------
    "cmd_connect": "Connecter votre compte Vinted",
    "cmd_disconnect": "Oublier la session Vinted",
    "cmd_status": "Session Vinted et file d'attente",
    "cmd_check": "Vérifier la page de dépôt Vinted",
    "connect_help": (
        "<b>Connecter votre compte Vinted</b>\n1. Sur un ordinateur, ouvrez {site} et "
        "connectez-vous.\n2. Copiez vos cookies, au choix :\n- outils de développement "
        "(F12) > Réseau > rechargez > cliquez sur la première requête > En-têtes de "
        "requête > copiez toute la valeur <i>Cookie</i> (nom=valeur; nom2=valeur2 ...) "
        ";\n- ou une extension d'édition de cookies > Exporter > JSON.\n3. Collez-les ici "
        "en un seul message (ou envoyez le fichier .json exporté), ou envoyez /connect "
        "suivi des cookies.\n\nJe supprime ce message aussitôt et je garde les cookies "
        "chiffrés ; ils ne sont plus jamais affichés. /cancel pour arrêter."
    ),
    "connect_checking": "Vérification de votre session Vinted...",
    "connect_ok": (
        "Connecté à Vinted en tant que <b>{username}</b>. Les brouillons validés seront "
        "publiés sur ce compte."
    ),
    "connect_delete_yourself": (
        "⚠️ Je n'ai pas pu supprimer votre message contenant les cookies : supprimez-le"
        " vous-même (appui long, Supprimer), il donne accès à votre compte Vinted."
    ),
    "connect_deleted_note": "(J'ai supprimé votre message contenant les cookies.)",
    "cookies_empty": "Ce message est vide. Collez vos cookies Vinted, ou /cancel.",
    "cookies_unrecognised": (
        "Je n'arrive pas à lire ces cookies. Format attendu : soit un en-tête Cookie "
        "(nom=valeur; nom2=valeur2 ...), soit l'export JSON d'une extension d'édition de "
        "cookies."
    ),
    "cookies_bad_json": (
        "Ce JSON n'est pas valide (un long export a pu être coupé en deux : envoyez-le "
        "plutôt en fichier .json)."
    ),
    "cookies_wrong_site": (
        "Ces cookies ne sont pas ceux de Vinted. Copiez-les pendant que {site} est ouvert."
    ),
    "cookies_no_login_cookie": (
        "Ces cookies ne contiennent pas de connexion Vinted (access_token_web ou "
        "refresh_token_web). Copiez-les en étant connecté à Vinted."
    ),
    "session_unreadable": (
        "Votre session Vinted enregistrée est illisible (la clé du bot a changé ?). Merci "
        "de refaire /connect."
    ),
    "vinted_session_expired": (
        "Vinted indique que cette session est déconnectée ou expirée. Copiez des cookies "
        "récents depuis un navigateur connecté et refaites /connect."
    ),
    "vinted_captcha": (
        "Vinted demande une vérification (captcha). Ouvrez Vinted dans votre navigateur, "
        "résolvez-la, puis réessayez."
    ),
    "vinted_verification": (
        "Vinted vous demande de vérifier votre compte (téléphone ou e-mail). Faites-le "
        "dans l'application Vinted, puis réessayez."
    ),
    "vinted_rate_limited": "Vinted limite les requêtes en ce moment. Réessayez plus tard.",
    "vinted_browser": (
        "Le navigateur qui dialogue avec Vinted n'a pas pu démarrer. Réessayez dans un instant."
    ),
    "vinted_network": "Impossible de joindre Vinted. Réessayez dans un instant.",
    "vinted_timeout": "Vinted n'a pas répondu à temps. Réessayez dans un instant.",
    "vinted_page_changed": "La page de Vinted n'était pas comme prévu (étape : {step}).",
    "vinted_field_rejected": "Vinted a refusé le champ {field} : {message}",
    "disconnected": "Votre session Vinted est supprimée. /connect pour en ajouter une.",
    "not_connected": "Aucun compte Vinted n'est connecté. /connect pour en ajouter un.",
    "status": (
        "<b>Vinted</b> : {username}\nDernière vérification : {checked}\nDernière "
        "publication : {published}\nMode : {mode}\n\n<b>File d'attente</b> : {queued} en "
        "attente, {today} {today|publiée|publiées} aujourd'hui (maximum {cap})\nProchaine "
        "publication : {next}"
    ),
    "status_not_published": "Non publiés : {count} {count|brouillon|brouillons} (voir /queue)",
    "status_never": "jamais",
    "status_paused": "En pause : {reason}",
    "status_not_scheduled": "rien en attente",
    "status_now": "au prochain passage (dans la minute)",
    "mode_publish": "publier directement",
    "mode_draft": "enregistrer en brouillons Vinted",
    "btn_mode_publish": "Publier directement",
    "btn_mode_draft": "Brouillons Vinted",
    "check_running": "Vérification de la page de dépôt Vinted...",
    "check_ok": "La page de dépôt Vinted contient tout ce qu'il me faut.",
    "check_missing": (
        "La page de dépôt Vinted a changé : il manque {selectors}. La publication risque "
        "d'échouer tant que le bot n'est pas mis à jour."
    ),
    "published_msg": "Publié sur Vinted : <b>{title}</b>\n{url}",
    "saved_draft_msg": (
        "Enregistré en brouillon sur votre compte Vinted : <b>{title}</b>. Finalisez-le "
        "dans l'application Vinted."
    ),
    "btn_open_card": "Voir la fiche",
    "todo_field": "Corrigez le champ « {field} » avec Modifier, puis touchez Réessayer.",
    "todo_field_category": "Vinted n'a pas de catégorie pour cet article : choisissez-en une.",
    "todo_field_photos": "Vérifiez les photos de l'article, puis touchez Réessayer.",
    "todo_field_push_up": (
        "Vinted a proposé le boost payant : rien n'a été payé ni publié. Touchez Réessayer."
    ),
    "todo_field_form": "Vérifiez l'annonce avec Modifier, puis touchez Réessayer.",
    "todo_network": "Vinted n'a pas répondu : touchez Réessayer dans quelques minutes.",
    "todo_timeout": "Vinted a mis trop de temps : touchez Réessayer dans quelques minutes.",
    "todo_browser": "Touchez Réessayer dans quelques minutes.",
    "todo_page_changed": (
        "La page de Vinted a changé : réessayez plus tard, ou publiez cet article à la main."
    ),
    "todo_draft_missing": (
        "Regardez vos brouillons Vinted : si la copie n'y est plus, remettez l'annonce en ligne "
        "à la main."
    ),
    "todo_lookup_doubt": (
        "Regardez votre dressing Vinted : si l'annonce n'y est pas, touchez Réessayer."
    ),
    "todo_interrupted": "Touchez Réessayer : l'article ne sera pas publié deux fois.",
    "todo_rate_limited": "Vinted limite les envois : touchez Réessayer dans une heure.",
    "todo_session_missing": "Connectez votre compte Vinted avec /connect, puis touchez Réessayer.",
    "todo_session_unreadable": "Reconnectez votre compte avec /connect, puis touchez Réessayer.",
    "todo_session_expired": "Reconnectez votre compte avec /connect, puis touchez Réessayer.",
    "todo_captcha": "Ouvrez Vinted dans le navigateur, résolvez la vérification, puis Réessayer.",
    "todo_verification": "Ouvrez Vinted dans votre navigateur, confirmez, puis touchez Réessayer.",
    "todo_unknown": "Touchez Réessayer ; si cela se reproduit, publiez cet article à la main.",
    "publish_failed_msg": "La publication de <b>{title}</b> a échoué : {reason}",
    "publish_retrying": (
        "La publication de <b>{title}</b> a rencontré un problème ({reason}) ; nouvel "
        "essai à {when}."
    ),
    "paused_captcha": (
        "Vinted demande une vérification (captcha) sur votre compte : la publication est "
        "en pause. Ouvrez Vinted dans votre navigateur, résolvez-la, puis touchez "
        "Reprendre. Rien n'est perdu."
    ),
    "paused_session_expired": (
        "Votre session Vinted a expiré : la publication est en pause. Envoyez /connect "
        "avec des cookies récents, puis touchez Reprendre. Rien n'est perdu."
    ),
    "paused_verification": (
        "Vinted vous demande de vérifier votre compte : la publication est en pause. "
        "Faites-le dans l'application Vinted, puis touchez Reprendre. Rien n'est perdu."
    ),
    "paused_lookup_failed": (
        "Une publication a été interrompue et je n'arrive pas à vérifier sur Vinted si "
        "l'annonce a été créée : la publication est en pause pour éviter un doublon. "
        "Regardez votre dressing Vinted, puis touchez Reprendre : je vérifie d'abord. "
        "Rien n'est perdu."
    ),
    "paused_rate_limited": "Vinted limite les requêtes : la publication reprend à {when}.",
    "btn_resume": "Reprendre",
    "resumed": "Publication reprise.",
    "queue_next": "Prochaine publication : {when}",
    "queue_paused": "En pause : {reason}",
    "stats_failures": "Échecs de publication par motif : {reasons}",
    "stats_market_header": "Prix demandé / médiane des ventes, par mois :",
    "stats_market_month": "{month} : {asked} / {sold} ({gap}), {count} {count|annonce|annonces}",
    "reason_captcha": "vérification captcha",
    "reason_session_expired": "session expirée",
    "reason_verification": "vérification demandée",
    "reason_rate_limited": "limite de requêtes",
    "reason_field_rejected": "un champ refusé",
    "reason_page_changed": "page Vinted modifiée",
    "reason_network": "problème réseau",
    "reason_browser": "le navigateur n'a pas pu démarrer",
    "reason_lookup_failed": "Vinted n'a pas pu être vérifié",
    "reason_unknown": "un problème inattendu",
    "reason_interrupted": "la publication a été interrompue",
    "reason_session_missing": "aucun compte Vinted connecté",
    "reason_session_unreadable": "la session Vinted doit être reconnectée",
    "reason_draft_missing": "sa copie n'est plus dans vos brouillons Vinted",
    "reason_lookup_doubt": "plusieurs annonces Vinted pourraient être celle-ci",
    "reason_timeout": "délai dépassé",
    "cmd_dryrun": "Remplir le formulaire Vinted sans publier",
    "cmd_at": "Publier un brouillon à une heure donnée",
    "usage_dryrun": (
        "Envoyez /dryrun suivi du numéro d'un brouillon (le # de sa fiche), par exemple "
        "/dryrun 12."
    ),
    "dryrun_running": "Remplissage du formulaire Vinted avec le brouillon #{id}, sans publier...",
    "dryrun_done": (
        "Essai à blanc de #{id} : tous les champs sont remplis, rien n'est publié. Voici "
        "ce que Vinted affichait."
    ),
    "dryrun_failed": "L'essai à blanc de #{id} s'est arrêté : {reason}",
    "draft_missing_field": (
        "Ce brouillon ne peut pas encore aller sur Vinted : il manque le champ {field}."
    ),
    "usage_at": (
        "Envoyez /at, le numéro d'un brouillon et une heure, par exemple /at 12 18:30 ou "
        "/at 12 28/11 18:30 (/at 12 - pour publier dès que son tour vient)."
    ),
    "at_set": "Le brouillon #{id} sera publié au plus tôt le {when}.",
    "at_cleared": "Le brouillon #{id} sera publié dès que son tour viendra.",
    "at_not_queued": "Le brouillon #{id} n'attend pas de publication : validez-le d'abord.",
    "cmd_regen": "Réanalyser un brouillon avec une indication",
    "usage_regen": (
        "Envoyez /regen, le numéro d'un brouillon et ce que vous "
        "savez, par exemple /regen 12 Zara, taille M, porté deux fois."
    ),
}
