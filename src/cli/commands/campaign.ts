import type { Command } from 'commander'
import { CAMPAIGN_CHANNELS, DIALING_MODES, PURPOSES } from '../../core/gate/campaign.js'
import { oneOf, optionalOneOf, optionalText, requireText } from '../../app/input.js'
import { emit, withServices } from '../session.js'

interface AddFlags {
  id: string
  seller: string
  purpose: string
  dialing: string
  channel?: string
  dataPurpose?: string
}

/** `dialward campaign add`. */
export function registerCampaign(program: Command): void {
  const campaign = program.command('campaign').description('campaigns')
  campaign
    .command('add')
    .description('register a campaign')
    .requiredOption('--id <id>')
    .requiredOption('--seller <name>')
    .requiredOption('--purpose <purpose>', 'marketing|informational')
    .requiredOption('--dialing <mode>', 'autodialed|prerecorded|manual')
    .option('--channel <channel>', 'voice|sms (default voice)')
    .option('--data-purpose <purpose>', 'the data-schema purpose whose contacts it dials (default: --purpose)')
    .action((f: AddFlags, cmd: Command) =>
      withServices(cmd, 'create', async (s, ctx) => {
        const r = await s.campaigns.add(ctx, {
          id: requireText('id', f.id, 200),
          seller: requireText('seller', f.seller, 200).trim(),
          purpose: oneOf('purpose', f.purpose, PURPOSES),
          dialing: oneOf('dialing', f.dialing, DIALING_MODES),
          channel: optionalOneOf('channel', f.channel, CAMPAIGN_CHANNELS, 'voice'),
          dataPurpose: optionalText('dataPurpose', f.dataPurpose, 100),
        })
        emit(cmd, { ...r.campaign, created: r.created }, `${r.created ? 'added' : 'unchanged'} campaign ${r.campaign.id}`)
      }),
    )
}
