<?php
/**
 * The tour server as an oEmbed provider: a tour's URL pasted on its own line becomes the tour.
 *
 * @package VrTour
 */

defined( 'ABSPATH' ) || exit;

/**
 * Registers the configured server's share and iframe pages with WordPress's
 * oEmbed. WordPress then asks the server's /oembed directly and keeps the
 * iframe it answers as it is, with its allow list (full screen, gyroscope);
 * without this, WordPress finds the same endpoint by discovery but puts the
 * iframe in a sandbox that drops those permissions.
 */
function vr_tour_register_oembed_provider() {
	$server = vr_tour_server();
	if ( '' === $server ) {
		return;
	}
	$endpoint = $server . '/oembed';
	wp_oembed_add_provider( $server . '/t/*', $endpoint );
	wp_oembed_add_provider( $server . '/embed/*', $endpoint );
}
