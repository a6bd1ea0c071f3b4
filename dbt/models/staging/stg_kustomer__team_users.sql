{#- One row per member of a team (the team's members list): the memberships the package uses. From the latest row of each team, so an array that shrank leaves no stale rows. -#}
{{ kustomer.stage_items('teams', ['id', 'text', 'team_id'], 'members', [['', 'text', 'user_id']]) }}
